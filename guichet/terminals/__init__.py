"""The fund's kiosks (bornes): enrolment by the IT team, device credential, revocation."""
