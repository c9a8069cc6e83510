"""Demo state: detect the overlaps of the demo personas, so they see the interstitial (O2).

Called by `manage.py seed_demo` after the personas exist; idempotent like the detection.
"""

from typing import TextIO

from guichet.complementary.detection import conflicts_detect


def seed(stdout: TextIO) -> None:
    result = conflicts_detect()
    stdout.write(
        f"Chevauchements de complémentaires : {result.pending} en attente "
        f"(dont {result.excluded} exclus du service en ligne, règle O4).\n"
    )
