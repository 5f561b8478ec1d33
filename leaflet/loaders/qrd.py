"""The EU package leaflet's fixed skeleton (the QRD template), by language.

The QRD (Quality Review of Documents) template fixes a leaflet's six numbered sections, the "What is
in this leaflet" list before them, the statements every leaflet carries (keep out of the sight and reach of
children; reporting of side effects; the black-triangle statement of a medicine under additional monitoring)
and the closing part (marketing authorisation holder, manufacturer, local representatives, "This leaflet
was last revised in"). The wording below is the template's (EMA QRD human product-information templates,
version 10) in English, Spanish, German, French, Italian, Portuguese and Dutch.

The plain-text importer uses these tables to find the skeleton in the leaflet's own language, and
``leaflet check --profile eu-qrd`` to check it. Patterns are matched case-insensitively; ``.+`` stands
for the product name; every language's patterns apply to every line (a phrase of the template means
nothing else in another language), so a leaflet whose language is detected wrongly still imports right.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

_A = "['’]"  # the template's apostrophe, typed or typographic

SECTION_PATTERNS: dict[str, tuple[str, str, str, str, str, str]] = {
    "en": (
        r"what .+ (?:is|are) and what (?:it is|they are) used for",
        r"what you need to know before you (?:take|use|are given|receive|have)",
        r"how to (?:take|use)|how .+ is given|how you will be given|how you are given",
        r"possible side effects",
        r"how to store",
        r"contents of the pack and other information",
    ),
    "es": (
        r"qu[eé] es.+para qu[eé] se utiliza",
        r"qu[eé] necesita saber antes de",
        r"c[oó]mo (?:tomar|usar|utilizar|se administra|administrar|aplicar)",
        r"posibles efectos adversos",
        r"conservaci[oó]n de",
        r"contenido del envase e informaci[oó]n adicional",
    ),
    "de": (
        r"was ist .+ und wof[uü]r wird (?:es|sie) angewendet",
        r"was sollten sie vor der (?:einnahme|anwendung) von .+ beachten",
        r"wie ist .+ (?:einzunehmen|anzuwenden)",
        r"welche nebenwirkungen sind m[oö]glich",
        r"wie ist .+ aufzubewahren",
        r"inhalt der packung und weitere informationen",
    ),
    "fr": (
        rf"qu{_A}est-ce que .+ et dans quel(?:s)? cas",
        r"quelles sont les informations [aà] conna[iî]tre avant de",
        r"comment (?:prendre|utiliser|est administr)",
        r"quels sont les effets ind[eé]sirables [eé]ventuels",
        r"comment conserver",
        r"contenu de l.emballage et autres informations",
    ),
    "it": (
        rf"che cos{_A}[eè] .+ e a cosa serve",
        r"cosa deve sapere prima di",
        r"come (?:prendere|usare|viene somministrato)",
        r"possibili effetti indesiderati",
        r"come conservare",
        r"contenuto della confezione e altre informazioni",
    ),
    "pt": (
        r"o que [eé] .+ e para que [eé] utilizad",
        r"o que precisa de saber antes de",
        r"como (?:tomar|utilizar|[eé] administrad)",
        r"efeitos (?:indesej[aá]veis|secund[aá]rios) poss[ií]veis",
        r"como conservar",
        r"conte[uú]do da embalagem e outras informa[cç][oõ]es",
    ),
    "nl": (
        r"wat is .+ en waarvoor wordt .+ gebruikt",
        r"wanneer mag u .+ niet (?:innemen|gebruiken|toegediend krijgen)",
        r"hoe (?:neemt|gebruikt) u|hoe wordt .+ toegediend",
        r"mogelijke bijwerkingen",
        r"hoe bewaart u",
        r"inhoud van de verpakking en overige informatie",
    ),
}
"""The six numbered sections' headings (without their number), by language."""

SECTION_TITLES = (
    "1. What X is and what it is used for",
    "2. What you need to know before you take X",
    "3. How to take X",
    "4. Possible side effects",
    "5. How to store X",
    "6. Contents of the pack and other information",
)
"""The six sections as the English template names them (for messages)."""

_PHRASES: dict[str, dict[str, str]] = {
    "contents": {
        "en": r"what (?:is )?in this leaflet",
        "es": r"contenido del prospecto",
        "de": r"was in dieser packungsbeilage steht",
        "fr": r"que contient cette notice",
        "it": r"contenuto di questo foglio",
        "pt": r"o que cont[eé]m este folheto",
        "nl": r"inhoud van deze bijsluiter",
    },
    "holder": {
        "en": r"marketing authori[sz]ation holder|manufacturer",
        "es": r"titular de la autorizaci[oó]n de comercializaci[oó]n|responsable de la fabricaci[oó]n|fabricante",
        "de": r"pharmazeutischer unternehmer|zulassungsinhaber|hersteller",
        "fr": r"titulaire de l.autorisation de mise sur le march[eé]|fabricant|exploitant",
        "it": r"titolare dell.autorizzazione all.immissione in commercio|produttore",
        "pt": r"titular da autoriza[cç][aã]o de introdu[cç][aã]o no mercado|fabricante",
        "nl": r"houder van de vergunning voor het in de handel brengen|fabrikant",
    },
    "statement": {
        "en": r"this leaflet was last (?:revised|approved)|not all pack sizes may be marketed"
        r"|package leaflet: information for the|this medicin(?:e|al product) is authori[sz]ed in"
        r"|the active substances? (?:is|are)|the other ingredients are",
        "es": r"(?:la )?[uú]ltima revisi[oó]n de este prospecto|fecha de la [uú]ltima revisi[oó]n"
        r"|puede que solamente est[eé]n comercializados|prospecto: informaci[oó]n para el"
        r"|este medicamento est[aá] autorizado en los estados miembros|el principio activo es"
        r"|los dem[aá]s componentes son",
        "de": r"diese packungsbeilage wurde zuletzt [uü]berarbeitet|nicht alle packungsgr[oö][sß]en"
        r"|gebrauchsinformation: information f[uü]r|dieses arzneimittel ist in den mitgliedsstaaten"
        r"|der wirkstoff ist|die sonstigen bestandteile sind",
        "fr": r"la derni[eè]re date [aà] laquelle cette notice a [eé]t[eé] r[eé]vis[eé]e"
        r"|toutes les pr[eé]sentations peuvent ne pas [eê]tre commercialis[eé]es|notice\s?: information"
        r"|ce m[eé]dicament est autoris[eé] dans les [eé]tats membres|la substance active est"
        r"|les autres composants (?:excipients )?sont",
        "it": r"questo foglio illustrativo [eè] stato aggiornato|non tutte le confezioni"
        r"|foglio illustrativo: informazioni per|questo medicinale [eè] autorizzato negli stati membri"
        r"|il principio attivo [eè]|gli altri componenti sono",
        "pt": r"este folheto foi revisto pela [uú]ltima vez|poss[ií]vel que n[aã]o sejam comercializad"
        r"|folheto informativo: informa[cç][aã]o para|este medicamento (?:est[aá]|encontra-se) autorizado nos"
        r"|a subst[aâ]ncia ativa [eé]|os outros (?:componentes|excipientes) s[aã]o",
        "nl": r"deze bijsluiter is voor het laatst goedgekeurd|niet alle genoemde verpakkingsgrootten"
        r"|bijsluiter: informatie voor|dit geneesmiddel is in de lidstaten|de werkzame stof in dit middel is"
        r"|de andere stoffen in dit middel zijn",
    },
    "keep-out-of-reach": {
        "en": r"out of the sight and reach of children",
        "es": r"fuera de la vista y del alcance de los ni[nñ]os",
        "de": r"f[uü]r kinder unzug[aä]nglich auf",
        "fr": r"hors de (?:la )?vue et de (?:la )?port[eé]e des enfants",
        "it": r"fuori dalla vista e dalla portata dei bambini",
        "pt": r"fora da vista e do alcance das crian[cç]as",
        "nl": r"buiten het zicht en (?:het )?bereik van kinderen",
    },
    "reporting": {
        "en": r"reporting of side effects",
        "es": r"comunicaci[oó]n de efectos adversos",
        "de": r"meldung von nebenwirkungen",
        "fr": r"d[eé]claration des effets (?:secondaires|ind[eé]sirables)",
        "it": r"segnalazione degli effetti indesiderati",
        "pt": r"comunica[cç][aã]o de efeitos (?:indesej[aá]veis|secund[aá]rios)",
        "nl": r"het melden van bijwerkingen",
    },
    "black-triangle": {
        "en": r"(?:this medicin(?:e|al product) is )?subject to additional monitoring",
        "es": r"(?:este medicamento est[aá] )?sujeto a (?:un )?seguimiento adicional",
        "de": r"(?:dieses arzneimittel )?unterliegt einer zus[aä]tzlichen [uü]berwachung",
        "fr": r"(?:ce m[eé]dicament )?fait l.objet d.une surveillance suppl[eé]mentaire",
        "it": r"(?:medicinale )?sottoposto a monitoraggio addizionale",
        "pt": r"(?:este medicamento est[aá] )?sujeito a monitoriza[cç][aã]o adicional",
        "nl": r"(?:dit geneesmiddel is )?onderworpen aan aanvullende monitoring",
    },
    "subheading": {
        "en": r"do not (?:take|use)|you must not|warnings? and precautions|children and adolescents"
        r"|other medicines and|pregnancy(?:,| and)|driving and using machines|.+ contains\b"
        r"|if you (?:take|use|have used|have taken) more|if you forget|if you stop|reporting of side effects"
        r"|what .+ contains|what .+ looks like",
        "es": r"no (?:tome|use|utilice)|advertencias y precauciones|ni[nñ]os y adolescentes|(?:uso de )?.+ con otros"
        r"|interacci[oó]n de|embarazo(?:,| y)|conducci[oó]n y uso de m[aá]quinas|.+ contiene\b|si (?:toma|usa) m[aá]s"
        r"|si olvid[oó]|si interrumpe|comunicaci[oó]n de efectos adversos|composici[oó]n de|aspecto del producto",
        "de": r".+ darf nicht|warnhinweise und vorsichtsma[sß]nahmen|kinder und jugendliche|einnahme von .+ zusammen"
        r"|anwendung von .+ zusammen|schwangerschaft(?:,| und)|verkehrst[uü]chtigkeit|.+ enth[aä]lt\b"
        r"|wenn sie eine gr[oö][sß]ere menge|wenn sie die (?:einnahme|anwendung) von .+ vergessen"
        r"|wenn sie die (?:einnahme|anwendung) von .+ abbrechen|meldung von nebenwirkungen|was .+ enth[aä]lt"
        r"|wie .+ aussieht",
        "fr": r"ne (?:prenez|utilisez) jamais|avertissements et pr[eé]cautions|enfants et adolescents"
        r"|autres m[eé]dicaments et|grossesse(?:,| et)|conduite de v[eé]hicules|.+ contient\b|si vous avez pris plus"
        r"|si vous oubliez|si vous arr[eê]tez|d[eé]claration des effets|ce que contient|comment se pr[eé]sente",
        "it": r"non (?:prenda|usi)|avvertenze e precauzioni|bambini e adolescenti|altri medicinali e"
        r"|gravidanza(?:,| e)|guida di veicoli|.+ contiene\b|se prende pi[uù]|se dimentica|se interrompe"
        r"|segnalazione degli effetti|cosa contiene|descrizione dell.aspetto",
        "pt": r"n[aã]o (?:tome|utilize)|advert[eê]ncias e precau[cç][oõ]es|crian[cç]as e adolescentes"
        r"|outros medicamentos e|gravidez(?:,| e)|condu[cç][aã]o de ve[ií]culos|.+ cont[eé]m\b|se tomar mais"
        r"|caso se tenha esquecido|se parar de|comunica[cç][aã]o de efeitos|qual a composi[cç][aã]o"
        r"|qual o aspeto",
        "nl": r"wanneer mag u .+ niet|wanneer moet u extra voorzichtig|kinderen en jongeren|gebruikt u nog andere"
        r"|zwangerschap(?:,| en)|rijvaardigheid|.+ bevat\b|heeft u te veel|bent u vergeten|als u stopt"
        r"|het melden van bijwerkingen|welke stoffen zitten er|hoe ziet .+ eruit",
    },
}
"""Phrases of the template by kind and language: ``contents`` (the heading of the contents list), ``holder``
(marketing authorisation holder and manufacturer headings), ``statement`` (fixed lines that are never
headings), ``keep-out-of-reach``, ``reporting`` and ``black-triangle`` (the fixed statements ``check``
looks for), ``subheading`` (the template's sub-headings of sections 2, 3, 4 and 6)."""

QRD_LANGUAGES = tuple(SECTION_PATTERNS)
"""The languages whose template wording is known."""


def _alternatives(kind: str) -> str:
    """The phrases of ``kind`` in every known language, as one regular expression."""
    return "|".join(f"(?:{p})" for p in _PHRASES[kind].values())


def phrase(kind: str, language: str) -> re.Pattern[str] | None:
    """The template's phrase of ``kind`` in ``language`` (its primary subtag), or None when unknown."""
    pattern = _PHRASES[kind].get(language.split("-")[0].lower())
    return re.compile(pattern, re.IGNORECASE) if pattern else None


def section_pattern(number: int, language: str) -> re.Pattern[str] | None:
    """Section ``number`` (1-6)'s heading in ``language``, or None when the language is not known."""
    patterns = SECTION_PATTERNS.get(language.split("-")[0].lower())
    return re.compile(patterns[number - 1], re.IGNORECASE) if patterns else None


_PATTERNS: dict[str, Callable[[], str]] = {
    "CONTENTS": lambda: rf"^(?:{_alternatives('contents')})\s*:?$",
    "HOLDER": lambda: rf"^(?:{_alternatives('holder')})\b[^.;!?]{{0,80}}:?$",
    "STATEMENT": lambda: rf"^(?:{_alternatives('statement')})",
    "SUBHEADING": lambda: rf"^(?:{_alternatives('subheading')})",
    "KEEP_OUT_OF_REACH": lambda: _alternatives("keep-out-of-reach"),
    "REPORTING": lambda: _alternatives("reporting"),
    "BLACK_TRIANGLE": lambda: _alternatives("black-triangle"),
}
"""The template's wording in every known language, compiled on first use (some 10 ms of compiling that a
YAML build, which never reads plain text, does not pay): ``CONTENTS``, a line that is the heading of the
contents list ("What is in this leaflet"); ``HOLDER``, a heading naming the marketing authorisation holder
or the manufacturer; ``STATEMENT``, a fixed line that is never a heading ("This leaflet was last revised
in"); ``SUBHEADING``, one of the sub-headings of sections 2, 3, 4 and 6; the fixed statements."""


@cache
def _compiled(name: str) -> re.Pattern[str]:
    if name.startswith("SECTION_"):
        number = int(name.removeprefix("SECTION_"))
        return re.compile("|".join(f"(?:{patterns[number]})" for patterns in SECTION_PATTERNS.values()), re.I)
    return re.compile(_PATTERNS[name](), re.IGNORECASE)


def __getattr__(name: str) -> re.Pattern[str]:
    """``qrd.CONTENTS`` and the other patterns of :data:`_PATTERNS`, compiled when first asked for."""
    if name in _PATTERNS:
        return _compiled(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


NUMBERED = re.compile(r"^(?P<number>\d{1,2})\s?[.)]\s+(?P<text>\S.*)$")
"""A numbered line: ``1. text`` or ``2) text``."""


def qrd_section_number(line: str) -> int | None:
    """The number (1-6) of the QRD section ``line`` heads ("3. How to take X", in any known language), or
    None. The number and the wording must agree: "2. How to take X" is no QRD heading."""
    match = NUMBERED.match(line)
    if match is None:
        return None
    number = int(match.group("number"))
    if not 1 <= number <= 6 or not _compiled(f"SECTION_{number - 1}").search(match.group("text")):
        return None
    return number


_COUNTRIES = (
    "België|Belgique|Belgien|България|Česká republika|Danmark|Deutschland|Eesti|Ελλάδα|España|France|Hrvatska"
    "|Ireland|Ísland|Italia|Κύπρος|Latvija|Lietuva|Luxembourg|Luxemburg|Magyarország|Malta|Nederland|Norge"
    "|Österreich|Polska|Portugal|România|Slovenija|Slovenská republika|Suomi|Finland|Sverige|United Kingdom"
)
_CONTACT = re.compile(
    r"\b(?:tel|t[eé]l|tlf|puh|s[ií]mi|τηλ|тел|phone|telephone|telefon|t[eé]l[eé]fono|telefone|fax)\b\.?\s*:?\s*[+(\d]"
    r"|\+\d{1,3}[\s(]"  # an international number
    r"|[\w.+-]+@[\w-]+\.[\w.]+"  # an e-mail address
    r"|\bhttps?://|\bwww\.[\w-]+\."  # a web address
    r"|\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b"  # a UK postcode (CT13 9NJ)
    r"|\b[A-Z]{1,3}-\d{4,5}\b"  # a postcode with a country prefix (F-75008, D-24109, CH-4002)
    r"|\b\d{5}\b"  # a five-digit postcode (90537 Feucht, Madrid 28040)
    rf"|^(?:{_COUNTRIES})\b.*\b\d{{2,}}",  # a local representative: the country, the firm, its number
    re.IGNORECASE,
)


def is_contact_line(line: str) -> bool:
    """Whether ``line`` holds an address's postcode, a phone number, an e-mail or web address, or is a local
    representative's line: such lines are paragraphs, never headings."""
    return bool(_CONTACT.search(line))
