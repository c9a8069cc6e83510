"""The funds, schemes and complementary insurers shared by the demo and the scale data."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FundData:
    code: str
    name: str
    address: str
    is_central: bool = False


@dataclass(frozen=True)
class SchemeData:
    code: str
    name: str
    is_general: bool = False
    is_partner: bool = False
    issues_carte_vitale: bool = True


@dataclass(frozen=True)
class InsurerData:
    code: str
    name: str


FUNDS = (
    FundData("751", "CPAM de Paris", "21 rue Georges Auric, 75019 Paris"),
    FundData("691", "CPAM du Rhône", "276 cours Émile Zola, 69100 Villeurbanne"),
    FundData("131", "CPAM des Bouches-du-Rhône", "8 rue Jules Moulet, 13006 Marseille"),
    FundData("331", "CPAM de la Gironde", "Place de l'Europe, 33000 Bordeaux"),
    FundData("441", "CPAM de Loire-Atlantique", "9 rue Gaëtan Rondeau, 44000 Nantes"),
    FundData(
        "999",
        "Caisse centrale des affaires complexes",
        "50 avenue du Professeur André Lemierre, 75020 Paris",
        is_central=True,
    ),
)
CPAM_CODES = tuple(f.code for f in FUNDS if not f.is_central)
CENTRAL_FUND_CODE = "999"

GENERAL_SCHEME = "RG"
SCHEMES = (
    SchemeData(GENERAL_SCHEME, "Régime général", is_general=True),
    # The partner schemes of rule C4 (and excluded from the online overlap choice, O4).
    SchemeData("CAMIEG", "CAMIEG (industries électriques et gazières)", is_partner=True),
    SchemeData("CANSSM", "CANSSM (régime minier)", is_partner=True),
    SchemeData("CAVIMAC", "CAVIMAC (cultes)", is_partner=True),
    SchemeData("CNMSS", "CNMSS (militaires)", is_partner=True),
    SchemeData("CRPCEN", "CRPCEN (clercs et employés de notaires)", is_partner=True),
    SchemeData("ENIM", "ENIM (marins)", is_partner=True),
    SchemeData("MGP", "MGP (Mutuelle générale de la police)", is_partner=True),
    # Other schemes: neither the régime général nor a partner (rule C4 excludes them).
    SchemeData("MSA", "Mutualité sociale agricole"),
    SchemeData("CPRPSNCF", "CPRP SNCF (cheminots)"),
    SchemeData("RATP", "CCAS RATP"),
    SchemeData(
        "ETRANGER",
        "Assurés d'un régime étranger (sans carte Vitale)",
        issues_carte_vitale=False,
    ),
)
PARTNER_SCHEMES = tuple(s.code for s in SCHEMES if s.is_partner)

# Invented names and numbers: no real organisation is meant.
INSURERS = (
    InsurerData("775100011", "Mutuelle des Deux Rives"),
    InsurerData("775100029", "Prévoyance Atlantique"),
    InsurerData("775100037", "Santé Horizon Assurances"),
    InsurerData("775100045", "Mutuelle Lumière"),
    InsurerData("775100052", "Union Mutualiste du Rhône"),
    InsurerData("775100060", "Mutuelle des Cheminots de l'Ouest"),
    InsurerData("775100078", "Assurance Santé Provence"),
    InsurerData("775100086", "Mutuelle Marine et Littoral"),
    InsurerData("775100094", "Caisse Complémentaire Solidaire"),
)
CSS_INSURER_CODE = "775100094"
