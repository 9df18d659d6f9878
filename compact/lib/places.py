"""Turning the matrix's free-text "Geographical Scope" into codes (pure Python, no database).

``places_resolve("Cameroon, Chad, Niger and Nigeria")`` gives the scope (global, regional,
national), ISO 3166-1 alpha-2 country codes, region codes from ``data/reference/regions.csv``
and the pieces of text that matched nothing, so that an importer can warn about them.

How text is read: it is cut into words and separators (``, ; / ( )`` and line breaks; "&"
counts as the word "and"), then known names are matched greedily, longest first, *before*
anything is split on "and" — so "Bosnia and Herzegovina", "Trinidad and Tobago" and "Middle
East and North Africa" stay whole, while "Niger and Nigeria" is two countries. Matching is
case-, accent- and punctuation-insensitive ("Cote d Ivoire" = "Côte d'Ivoire", "Timor Leste"
= "Timor-Leste"). Known names are, in this order of precedence:

1. the scope words (global, worldwide, international, regional, sub-regional, national);
2. English country names from django-countries: ISO official, common ("Syria", "Iran") and
   former ("Turkey", "Swaziland") names; also the official names without their parenthesis or
   after their comma ("Bolivia (Plurinational State of)" → "Bolivia") unless that short form
   is another country's name ("Congo") or fits two countries ("Korea", "Virgin Islands");
3. region names from ``regions.csv``, except where a country has the same name (the M49
   sub-region "Micronesia" is only reachable by its code: in text it is the country);
4. ``place_aliases.csv``: misspellings and variants ("Surinam", "Lao PDR"), colloquial region
   names ("West Africa"), and the three UN missions the matrix names as places (their host
   countries). An alias may name several codes ("West and Central Africa"). An alias that
   would give an already known name another meaning is an error in the file.

Unknown text is never guessed: it goes to ``unrecognised``. The one exception is filler — a
leftover piece made only of the words in ``FILLER_WORDS`` ("selected countries in the",
"Member States", "region", a lone "the") is dropped, because it qualifies a recognised place
rather than naming one. "RACVIAC Member countries" is therefore reported whole.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries as translated_countries
from django_countries.base import CountriesBase
from django_countries.data import COUNTRIES

from compact.lib.csvfiles import ReferenceFileError, read_rows

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"

GLOBAL = "global"
REGIONAL = "regional"
NATIONAL = "national"
REGION_KINDS = ("m49", "grouping")

SCOPE_WORDS = {
    "global": GLOBAL,
    "worldwide": GLOBAL,
    "international": GLOBAL,
    "regional": REGIONAL,
    "sub-regional": REGIONAL,
    "subregional": REGIONAL,
    "national": NATIONAL,
}

# Words dropped when a leftover piece consists of nothing else (see the module docstring).
# Deliberately small: "coastal", "states of", "mandate" and the like are not in it.
FILLER_WORDS = frozenset(
    {"the", "of", "in", "selected", "countries", "country", "member", "members", "states", "region", "regions"}
)

_SEPARATORS = frozenset({",", ";", "/", "(", ")", "\n"})
_TOKEN = re.compile(r"\w+|[,;/&()\n]")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    kind: str  # "m49" or "grouping"
    countries: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class PlaceResult:
    scope: str  # "global" | "regional" | "national" | "" (unknown)
    countries: tuple[str, ...]  # ISO 3166-1 alpha-2 codes, sorted, unique
    regions: tuple[str, ...]  # region codes from data/reference/regions.csv, sorted, unique
    unrecognised: tuple[str, ...]  # pieces of text that matched nothing, in order of appearance


@dataclass(frozen=True)
class _Term:
    """What a known name stands for."""

    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    scope: str = ""


@dataclass(frozen=True)
class _Token:
    key: str  # folded word, "and" for "&", or the separator itself
    start: int
    end: int


# --- Public API -----------------------------------------------------------------------------


def places_resolve(text: str) -> PlaceResult:
    """Read a free-text geographical scope into scope, country codes and region codes."""
    terms, unrecognised = _scan(_tokens(text or ""), text or "")
    countries = tuple(sorted({code for term in terms for code in term.countries}))
    region_codes = tuple(sorted({code for term in terms for code in term.regions}))
    return PlaceResult(
        scope=_scope(terms, countries, region_codes),
        countries=countries,
        regions=region_codes,
        unrecognised=tuple(dict.fromkeys(unrecognised)),
    )


def regions() -> list[Region]:
    """Every region of ``regions.csv``, in file order (UN M49 first, then groupings)."""
    return list(_regions_by_code().values())


def region_label(code: str) -> str:
    """The region's name; an unknown code is returned as it is (e.g. a code since removed)."""
    region = _regions_by_code().get(code)
    return region.name if region else code


# --- Choosing a country ----------------------------------------------------------------------

# The 193 Member States of the United Nations (ISO 3166-1 alpha-2), as listed by the UN
# (https://www.un.org/en/about-us/member-states); ``tests/compact/matrix/test_places.py`` counts them.
UN_MEMBER_STATES = frozenset(
    """
    AD AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT BW BY BZ CA CD CF CG
    CH CI CL CM CN CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI FJ FM FR GA GB GD GE GH
    GM GN GQ GR GT GW GY HN HR HT HU ID IE IL IN IQ IR IS IT JM JO JP KE KG KH KI KM KN KP KR KW KZ
    LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MG MH MK ML MM MN MR MT MU MV MW MX MY MZ NA NE NG
    NI NL NO NP NR NZ OM PA PE PG PH PK PL PT PW PY QA RO RS RU RW SA SB SC SD SE SG SI SK SL SM SN
    SO SR SS ST SV SY SZ TD TG TH TJ TL TM TN TO TR TT TV TZ UA UG US UY UZ VC VE VN VU WS YE ZA ZM
    ZW
    """.split()  # noqa: SIM905 - a table, easier to check against the UN's list
)
# The two non-member Observer States: the Holy See and the State of Palestine.
UN_OBSERVER_STATES = frozenset({"VA", "PS"})


def country_sort_key(name: str) -> tuple[str, str]:
    """A key that sorts names as a reader of most languages expects without a collation library
    (none is installed): accents and case ignored ("Égypte" with the E's), then exact."""
    return _fold(name), name


def country_choice_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every ISO 3166-1 country or territory in three groups, for a grouped <select>: the UN
    Member States, the Observer States, then the other territories (Antarctica, Bouvet Island…),
    each named in the active language and sorted by that name."""
    named = [(code, str(name).strip()) for code, name in translated_countries]
    groups = (
        (_("UN Member States"), lambda code: code in UN_MEMBER_STATES),
        (_("Observer States"), lambda code: code in UN_OBSERVER_STATES),
        (
            _("Other territories"),
            lambda code: code not in UN_MEMBER_STATES and code not in UN_OBSERVER_STATES,
        ),
    )
    return [
        (str(label), sorted(((c, n) for c, n in named if belongs(c)), key=lambda choice: country_sort_key(choice[1])))
        for label, belongs in groups
    ]


def country_search_terms(code: str) -> str:
    """What else a type-ahead matches a country by, whatever the reader's language: its code
    and its English names (official, common, former)."""
    return " ".join([code, *_english_country_names().get(code, [])])


# --- Reading text ---------------------------------------------------------------------------


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        key = "and" if word == "&" else word if word in _SEPARATORS else _fold(word)
        tokens.append(_Token(key, match.start(), match.end()))
    return tokens


def _key(name: str) -> tuple[str, ...]:
    return tuple(token.key for token in _tokens(name))


def _scan(tokens: list[_Token], text: str) -> tuple[list[_Term], list[str]]:
    """Match known names greedily; collect the words between them as leftover pieces."""
    lexicon, width = _lexicon()
    terms: list[_Term] = []
    unrecognised: list[str] = []
    piece: list[_Token] = []
    i = 0
    while i < len(tokens):
        term, size = _longest_match(tokens, i, lexicon, width)
        if term is None and tokens[i].key not in _SEPARATORS and tokens[i].key != "and":
            piece.append(tokens[i])
        else:
            _flush(piece, text, unrecognised)
        if term is not None:
            terms.append(term)
        i += size
    _flush(piece, text, unrecognised)
    return terms, unrecognised


def _longest_match(
    tokens: list[_Token], start: int, lexicon: dict[tuple[str, ...], _Term], width: int
) -> tuple[_Term | None, int]:
    for size in range(min(width, len(tokens) - start), 0, -1):
        term = lexicon.get(tuple(token.key for token in tokens[start : start + size]))
        if term is not None:
            return term, size
    return None, 1


def _flush(piece: list[_Token], text: str, unrecognised: list[str]) -> None:
    if any(token.key not in FILLER_WORDS for token in piece):
        unrecognised.append(text[piece[0].start : piece[-1].end])
    piece.clear()


def _scope(terms: list[_Term], countries: tuple[str, ...], region_codes: tuple[str, ...]) -> str:
    """An explicit scope word wins (global over regional over national); else it is inferred.

    Inferred: any region, or several countries, is regional; one country alone is national.
    A list of countries is one multi-country project, not several national ones.
    """
    explicit = {term.scope for term in terms}
    for scope in (GLOBAL, REGIONAL, NATIONAL):
        if scope in explicit:
            return scope
    if region_codes or len(countries) > 1:
        return REGIONAL
    return NATIONAL if countries else ""


# --- Reference data -------------------------------------------------------------------------


@cache
def _regions_by_code() -> dict[str, Region]:
    found: dict[str, Region] = {}
    for row in read_rows(DATA_DIR / "regions.csv", ("code", "name", "kind", "countries")):
        region = Region(
            row["code"], row["name"], row["kind"], tuple(row["countries"].split()), row.values.get("note", "")
        )
        unknown = sorted(set(region.countries) - set(COUNTRIES))
        if region.kind not in REGION_KINDS:
            raise ReferenceFileError(f"{row.where()}: kind must be one of {', '.join(REGION_KINDS)}")
        if unknown or region.code in found:
            raise ReferenceFileError(f"{row.where()}: unknown country codes {unknown} or repeated code {region.code!r}")
        found[region.code] = region
    return found


@cache
def _lexicon() -> tuple[dict[tuple[str, ...], _Term], int]:
    """Every known name (as a tuple of folded tokens) and the longest name's length."""
    lexicon = {_key(word): _Term(scope=scope) for word, scope in SCOPE_WORDS.items()}
    _add_country_names(lexicon)
    for region in _regions_by_code().values():
        lexicon.setdefault(_key(region.name), _Term(regions=(region.code,)))
    _add_aliases(lexicon)
    return lexicon, max(len(key) for key in lexicon)


@cache
def _english_country_names() -> dict[str, list[str]]:
    """Each code's ISO official name, then its common and former names (django-countries)."""
    with translation.override("en"):
        names = {code: [str(name)] for code, name in COUNTRIES.items()}
        for code, name in CountriesBase.COMMON_NAMES.items():
            names[code].append(str(name))
        for code, old_names in CountriesBase.OLD_NAMES.items():
            names[code].extend(str(name) for name in old_names)
    return names


def _add_country_names(lexicon: dict[tuple[str, ...], _Term]) -> None:
    """Full names must be unambiguous; a short form is kept only if it fits one country."""
    short_forms: dict[tuple[str, ...], set[str]] = {}
    for code, names in _english_country_names().items():
        for name in names:
            _add_unique(lexicon, _key(name), _Term(countries=(code,)))
            for short in (re.sub(r"\s*\([^)]*\)", "", name), name.split(",")[0]):
                short_forms.setdefault(_key(short), set()).add(code)
    for key, codes in short_forms.items():
        if len(codes) == 1 and key not in lexicon:
            lexicon[key] = _Term(countries=tuple(codes))


def _add_aliases(lexicon: dict[tuple[str, ...], _Term]) -> None:
    for row in read_rows(DATA_DIR / "place_aliases.csv", ("alias", "codes")):
        codes = row["codes"].split()
        unknown = [code for code in codes if code not in COUNTRIES and code not in _regions_by_code()]
        if unknown or not codes:
            raise ReferenceFileError(f"{row.where()}: unknown code(s) {unknown or row['codes']!r}")
        term = _Term(
            countries=tuple(code for code in codes if code in COUNTRIES),
            regions=tuple(code for code in codes if code not in COUNTRIES),
        )
        try:
            _add_unique(lexicon, _key(row["alias"]), term)
        except ValueError as error:
            raise ReferenceFileError(f"{row.where()}: {error}") from error


def _add_unique(lexicon: dict[tuple[str, ...], _Term], key: tuple[str, ...], term: _Term) -> None:
    if lexicon.setdefault(key, term) != term:
        raise ValueError(f"{' '.join(key)!r} already means {lexicon[key]}")


# --- Text that is consciously not a place ------------------------------------------------------


@cache
def _not_places() -> dict[tuple[str, ...], str]:
    """Folded text → why it is not a place (``not_places.csv``: "missions with a police
    component" names a set of missions, not where they are)."""
    path = DATA_DIR / "not_places.csv"
    if not path.is_file():
        return {}
    return {_key(row["text"]): row["reason"] for row in read_rows(path, ("text", "reason"))}


def not_a_place(text: str) -> str | None:
    """Why ``text`` (a piece ``places_resolve`` left unrecognised) is no place, or None."""
    return _not_places().get(_key(text))


def countries_of_regions(codes: list[str] | tuple[str, ...]) -> set[str]:
    """Every country the given regions cover (unknown codes cover none)."""
    by_code = _regions_by_code()
    return {country for code in codes if code in by_code for country in by_code[code].countries}


def regions_covering(country: str) -> list[str]:
    """The codes of every region whose members include ``country``, so that a regional
    project appears on the page of each country it covers."""
    return [region.code for region in _regions_by_code().values() if country.upper() in region.countries]
