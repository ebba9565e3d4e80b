"""Ukrainian and Russian names of countries and first-level regions.

The gazetteer's GeoNames data carries Cyrillic alternate names for towns but
English names only for countries and regions, so these are listed here, by
lemma: a country's noun ("україна", "россия"), a region's adjective before
"область" ("донецький" + "область"), and the Ukrainian "-щина" names
("Донеччина", "Харківщина"). Values are ISO codes and the gazetteer's own
admin1 names, which ``Gazetteer.country`` and ``Gazetteer.admin1`` resolve.
"""

from __future__ import annotations

COUNTRIES: dict[str, str] = {
    # Ukrainian
    "україна": "UA",
    "росія": "RU",
    "рф": "RU",
    "білорусь": "BY",
    "польща": "PL",
    "молдова": "MD",
    "румунія": "RO",
    "угорщина": "HU",
    "словаччина": "SK",
    "грузія": "GE",
    "сирія": "SY",
    "сша": "US",
    "америка": "US",
    "британія": "GB",
    "великобританія": "GB",
    "німеччина": "DE",
    "франція": "FR",
    "канада": "CA",
    "туреччина": "TR",
    "ізраїль": "IL",
    "китай": "CN",
    "іран": "IR",
    "казахстан": "KZ",
    "литва": "LT",
    "латвія": "LV",
    "естонія": "EE",
    "фінляндія": "FI",
    "італія": "IT",
    "іспанія": "ES",
    "чехія": "CZ",
    "японія": "JP",
    "бельгія": "BE",
    "нідерланди": "NL",
    # Russian
    "украина": "UA",
    "россия": "RU",
    "беларусь": "BY",
    "белоруссия": "BY",
    "польша": "PL",
    "румыния": "RO",
    "венгрия": "HU",
    "словакия": "SK",
    "грузия": "GE",
    "сирия": "SY",
    "великобритания": "GB",
    "германия": "DE",
    "франция": "FR",
    "турция": "TR",
    "израиль": "IL",
    "иран": "IR",
    "латвия": "LV",
    "эстония": "EE",
    "финляндия": "FI",
    "италия": "IT",
    "испания": "ES",
    "чехия": "CZ",
    "япония": "JP",
    "бельгия": "BE",
    "нидерланды": "NL",
}

# Two-word country names, as lemma pairs.
COUNTRY_PHRASES: dict[tuple[str, ...], str] = {
    ("сполучений", "штат"): "US",
    ("соединённый", "штат"): "US",
    ("соединенный", "штат"): "US",
    ("велика", "британія"): "GB",
    ("великий", "британія"): "GB",
}

_OBLASTS = {
    "Kyiv Oblast": "київський киевский київщина киевщина",
    "Kharkiv Oblast": "харківський харьковский харківщина харьковщина слобожанщина",
    "Donetsk Oblast": "донецький донецкий донеччина донетчина",
    "Luhansk Oblast": "луганський луганский луганщина",
    "Kherson Oblast": "херсонський херсонский херсонщина",
    "Zaporizhia": "запорізький запорожский",
    "Mykolayiv Oblast": "миколаївський николаевский миколаївщина николаевщина",
    "Odesa Oblast": "одеський одесский одещина одесщина",
    "Dnipro Oblast": "дніпропетровський днепропетровский дніпропетровщина днепропетровщина",
    "Sumy Oblast": "сумський сумской сумщина",
    "Chernihiv Oblast": "чернігівський черниговский чернігівщина черниговщина",
    "Zhytomyr Oblast": "житомирський житомирский житомирщина житомирщина",
    "Cherkasy Oblast": "черкаський черкасский черкащина черкасщина",
    "Vinnyts'ka": "вінницький винницкий вінниччина винничина",
    "Khmelnytskyi Oblast": "хмельницький хмельницкий хмельниччина хмельнитчина",
    "Ternopil Oblast": "тернопільський тернопольский тернопільщина тернопольщина",
    "Lviv Oblast": "львівський львовский львівщина львовщина",
    "Volyn": "волинський волынский волинь волынь",
    "Rivne Oblast": "рівненський ровенский рівненщина ровенщина",
    "Ivano-Frankivsk Oblast": "івано-франківський ивано-франковский прикарпаття прикарпатье",
    "Zakarpattia": "закарпатський закарпатский закарпаття закарпатье",
    "Crimea": "крим крым кримський крымский",
    "Belgorod": "бєлгородський белгородский бєлгородщина белгородчина",
    "Kursk": "курський курский курщина",
    "Brjansk": "брянський брянский брянщина",
    "Rostov": "ростовський ростовский",
    "Voronezj": "воронезький воронежский",
}
REGION_COUNTRY = {
    "Belgorod": "RU",
    "Kursk": "RU",
    "Brjansk": "RU",
    "Rostov": "RU",
    "Voronezj": "RU",
}

REGIONS: dict[str, str] = {
    word: admin1 for admin1, names in _OBLASTS.items() for word in names.split()
}


def region_country(admin1: str) -> str:
    """The country of a listed region (Ukraine unless noted)."""
    return REGION_COUNTRY.get(admin1, "UA")


__all__ = ["COUNTRIES", "COUNTRY_PHRASES", "REGIONS", "region_country"]
