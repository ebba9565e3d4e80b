"""Ukrainian word lists for the Cyrillic analyser (lemmas as pymorphy3's uk dictionary gives them)."""

from __future__ import annotations

from .lexicon import Lexicon, Trigger, entries, phrase

_T = Trigger

TRIGGERS = (
    # killing
    _T(phrase("вбити"), "killing", "killed", "person"),
    _T(phrase("убити"), "killing", "killed", "person"),
    _T(phrase("вбивати"), "killing", "killed", "person"),
    _T(phrase("убивати"), "killing", "killed", "person"),
    _T(phrase("вбивство"), "killing", "killed", "person"),
    _T(phrase("убивство"), "killing", "killed", "person"),
    _T(phrase("розстріляти"), "killing", "killed", "person"),
    _T(phrase("розстрілювати"), "killing", "killed", "person"),
    _T(phrase("розстріл"), "killing", "killed", "person"),
    _T(phrase("стратити"), "killing", "killed", "none"),
    _T(phrase("страта"), "killing", "killed", "none"),
    _T(phrase("застрелити"), "killing", "killed", "person"),
    _T(phrase("закатувати"), "killing", "killed", "none"),
    _T(phrase("різанина"), "killing", "killed", "none"),
    _T(phrase("масакр"), "killing", "killed", "none"),
    _T(phrase("загинути"), "killing", "killed", "cause"),
    _T(phrase("гинути"), "killing", "killed", "cause"),
    _T(phrase("загибель"), "killing", "killed", "cause"),
    _T(phrase("загиблий"), "killing", "killed", "cause"),
    _T(phrase("тіло"), "killing", "killed", "person_or_many"),
    # mass graves
    _T(phrase("братський могила"), "mass_grave", "killed"),
    _T(phrase("масовий поховання"), "mass_grave", "killed"),
    _T(phrase("масовий могила"), "mass_grave", "killed"),
    _T(phrase("ексгумація"), "mass_grave", "killed"),
    _T(phrase("ексгумувати"), "mass_grave", "killed"),
    # torture
    _T(phrase("катувати"), "torture", "tortured", "person"),
    _T(phrase("катування"), "torture", "tortured"),
    _T(phrase("закатований"), "torture", "tortured"),
    _T(phrase("знущання"), "torture", "tortured", "person"),
    # sexual violence
    _T(phrase("зґвалтувати"), "sexual_violence", "sexual_violence"),
    _T(phrase("згвалтувати"), "sexual_violence", "sexual_violence"),
    _T(phrase("зґвалтування"), "sexual_violence", "sexual_violence"),
    _T(phrase("згвалтування"), "sexual_violence", "sexual_violence"),
    _T(phrase("сексуальний насильство"), "sexual_violence", "sexual_violence"),
    # detention
    _T(phrase("затримати"), "detention", "detained", "person", "arrest"),
    _T(phrase("затримання"), "detention", "detained", "person", "arrest"),
    _T(phrase("заарештувати"), "detention", "detained", "person", "arrest"),
    _T(phrase("арештувати"), "detention", "detained", "person", "arrest"),
    _T(phrase("арешт"), "detention", "detained", "person", "arrest"),
    _T(phrase("викрасти"), "detention", "detained", "person", "abduction"),
    _T(phrase("викрадати"), "detention", "detained", "person", "abduction"),
    _T(phrase("викрадення"), "detention", "detained", "person", "abduction"),
    _T(phrase("полон"), "detention", "detained", "person", "captivity"),
    _T(phrase("полонити"), "detention", "detained", "person", "captivity"),
    _T(phrase("утримувати"), "detention", "detained", "person", "captivity"),
    _T(phrase("заручник"), "detention", "detained", "none", "captivity"),
    _T(phrase("зникнути безвісти"), "detention", "missing", "none", "disappearance"),
    _T(phrase("безвісти"), "detention", "missing", "person", "disappearance"),
    _T(phrase("насильницький зникнення"), "detention", "missing", "none", "disappearance"),
    # deportation
    _T(phrase("депортувати"), "deportation", "displaced", "person"),
    _T(phrase("депортація"), "deportation", "displaced"),
    _T(phrase("вивезти"), "deportation", "displaced", "person"),
    _T(phrase("вивозити"), "deportation", "displaced", "person"),
    _T(phrase("примусовий переміщення"), "deportation", "displaced"),
    _T(phrase("примусово переселити"), "deportation", "displaced"),
    # attacks
    _T(phrase("обстріляти"), "attack_on_civilians", None, "target"),
    _T(phrase("обстрілювати"), "attack_on_civilians", None, "target"),
    _T(phrase("обстріл"), "attack_on_civilians", None, "target"),
    _T(phrase("удар"), "attack_on_civilians", None, "target"),
    _T(phrase("авіаудар"), "attack_on_civilians", None, "target"),
    _T(phrase("бомбардування"), "attack_on_civilians", None, "target"),
    _T(phrase("бомбардувати"), "attack_on_civilians", None, "target"),
    _T(phrase("атакувати"), "attack_on_civilians", None, "target"),
    _T(phrase("атака"), "attack_on_civilians", None, "target"),
    _T(phrase("вибух"), "attack_on_civilians", None, "target"),
    _T(phrase("влучання"), "attack_on_civilians", None, "target"),
    _T(phrase("влучити"), "attack_on_civilians", None, "target"),
    _T(phrase("поцілити"), "attack_on_civilians", None, "target"),
    _T(phrase("прильот"), "attack_on_civilians", None, "target"),
    # destruction and pillage
    _T(phrase("пограбувати"), "pillage_destruction", "damaged", "none"),
    _T(phrase("грабувати"), "pillage_destruction", "damaged", "none"),
    _T(phrase("мародерство"), "pillage_destruction", "damaged", "none"),
    _T(phrase("мародер"), "pillage_destruction", "damaged", "none"),
    _T(phrase("зруйнувати"), "pillage_destruction", "damaged", "property"),
    _T(phrase("знищити"), "pillage_destruction", "damaged", "property"),
    _T(phrase("спалити"), "pillage_destruction", "damaged", "property"),
    _T(phrase("підпалити"), "pillage_destruction", "damaged", "property"),
    # prohibited weapons
    _T(phrase("касетний"), "prohibited_weapon", None, "none"),
    _T(phrase("хімічний зброя"), "prohibited_weapon", None, "none"),
    _T(phrase("хімічний атака"), "prohibited_weapon", None, "none"),
    _T(phrase("фосфорний"), "prohibited_weapon", None, "none"),
    _T(phrase("запальний боєприпас"), "prohibited_weapon", None, "none"),
    _T(phrase("заборонений зброя"), "prohibited_weapon", None, "none"),
)

MILITARY = frozenset(
    "війська військо військовий армія сила підрозділ солдат окупант ракета удар обстріл "
    "артилерія авіація літак дрон безпілотник бригада батальйон угруповання бойовик "
    "силовик загарбник танк шахед снаряд".split()
)

LEXICON = Lexicon(
    code="uk",
    triggers=TRIGGERS,
    sides={
        **entries("окупант рашист загарбник орк кремль рф росгвардія вагнерівець", "RU"),
        **entries("росія", "RU"),
        **entries("днр лнр днр/лнр кадировець", "RU"),
        **entries("зсу тро азов нацгвардія сбу", "UA"),
        "вс рф": "RU",
        "зс рф": "RU",
        "збройний сила рф": "RU",
        "збройний сила росія": "RU",
        "збройний сила україна": "UA",
    },
    side_adjectives={
        **entries("російський росіянин кремлівський окупаційний ворожий рашистський", "RU"),
        **entries("український", "UA"),
    },
    military=MILITARY,
    categories={
        **entries("цивільний мирний мешканець житель населення невинний невинна", "civilians"),
        **entries("дитина діти дитячий немовля підліток школяр", "children"),
        **entries("жінка", "women"),
        **entries(
            "голова голови голів староста мер міський_голова посадовець чиновник лідер "
            "депутат очільник",
            "officials",
        ),
        **entries("журналіст репортер", "journalists"),
        **entries("лікар медик волонтер рятувальник", "aid workers"),
        **entries("військовополонений полонений", "prisoners"),
        **entries("людина люди особа чоловік громадянин", "people"),
        **entries("військовий солдат боєць військовослужбовець", "combatants"),
    },
    harm_nouns={
        "загиблий": "killed",
        "убитий": "killed",
        "вбитий": "killed",
        "поранений": "injured",
        "травмований": "injured",
        "постраждалий": "injured",
        "затриманий": "detained",
        "полонений": "detained",
        "зниклий": "missing",
        "депортований": "displaced",
    },
    harm_verbs={
        **entries("вбити убити вбивати убивати розстріляти розстрілювати загинути гинути", "killed"),
        **entries("застрелити стратити загибель вбивство убивство", "killed"),
        **entries("поранити поранення травмувати постраждати травма", "injured"),
        **entries("затримати заарештувати викрасти утримувати полон полонити", "detained"),
        **entries("депортувати вивезти", "displaced"),
        **entries("катувати", "tortured"),
    },
    numbers={
        "один": 1, "одна": 1, "одне": 1, "два": 2, "дві": 2, "двоє": 2, "три": 3, "троє": 3,
        "чотири": 4, "четверо": 4, "п'ять": 5, "п'ятеро": 5, "шість": 6, "шестеро": 6,
        "сім": 7, "семеро": 7, "вісім": 8, "восьмеро": 8, "дев'ять": 9, "дев'ятеро": 9,
        "десять": 10, "десятеро": 10, "одинадцять": 11, "дванадцять": 12, "тринадцять": 13,
        "чотирнадцять": 14, "п'ятнадцять": 15, "шістнадцять": 16, "сімнадцять": 17,
        "вісімнадцять": 18, "дев'ятнадцять": 19, "двадцять": 20, "тридцять": 30, "сорок": 40,
        "п'ятдесят": 50, "шістдесят": 60, "сімдесят": 70, "вісімдесят": 80,
        "дев'яносто": 90, "сто": 100, "двісті": 200, "триста": 300, "чотириста": 400,
        "п'ятсот": 500, "тисяча": 1000,
    },
    vague={
        "десятка": 20, "десяток": 10, "сотня": 200, "тисяча": 2000, "кілька": 3,
        "декілька": 3, "численний": 2, "багато": 2, "чимало": 2,
    },
    at_least=frozenset("щонайменше принаймні мінімум".split()),
    more_than=frozenset("понад більше більш".split()),
    up_to=frozenset("до".split()),
    about=frozenset("близько приблизно майже орієнтовно".split()),
    body_nouns=frozenset("тіло труп останки".split()),
    civilian_objects=frozenset(
        "будинок багатоповерхівка житловий квартира двір вулиця ринок магазин зупинка "
        "вокзал автобус потяг місто село селище цивільний мешканець житель населений "
        "торговий центр інфраструктура енергетичний підстанція".split()
    ),
    protected_objects=frozenset(
        "лікарня шпиталь поліклініка пологовий школа садок дитсадок університет церква "
        "храм собор мечеть синагога укриття бомбосховище театр музей бібліотека "
        "гуманітарний евакуаційний конвой швидка".split()
    ),
    property_objects=frozenset(
        "будинок хата квартира школа церква храм лікарня магазин ферма майно житло село "
        "бібліотека музей".split()
    ),
    attack_words=frozenset(
        "обстріл удар ракета снаряд бомба вибух атака авіаудар дрон безпілотник шахед "
        "міна обстріляти бомбардування артилерія".split()
    ),
    accident_words=frozenset(
        "дтп аварія пожежа повінь землетрус хвороба інфаркт потонути утопитися "
        "отруєння".split()
    ),
    negations=frozenset("не ні жодний".split()),
    hypothetical=frozenset("можливо якщо загроза могти б ймовірно".split()),
    reporting=frozenset(
        "заявити заявляти повідомити повідомляти сказати казати розповісти розповідати "
        "стверджувати зазначити зазначати наголосити додати підтвердити написати "
        "інформувати".split()
    ),
    according_to=(("за", "словами"), ("за", "даними"), ("за", "інформацією"), ("як", "повідомляє"),
                  ("як", "повідомили"), ("як", "повідомила"), ("як", "повідомив")),
    accuse=frozenset("звинувачувати звинуватити звинувачення".split()),
    deny=frozenset("заперечити заперечувати спростувати спростовувати відкинути відкидати".split()),
    deny_names=frozenset("провокація фейк постановка інсценування брехня".split()),
    accusation_nouns=frozenset("звинувачення заява твердження це".split()),
    condemn=frozenset("засудити засуджувати засудження".split()),
    investigate=frozenset("розслідування розслідувати трибунал".split()),
    demand=frozenset("вимагати закликати вимога заклик".split()),
    speech=frozenset(
        "сказати заявити повідомити зазначити наголосити додати назвати підкреслити "
        "розповісти написати відповісти казати заявляти".split()
    ),
    naming=frozenset("назвати називати".split()),
    role_nouns=frozenset(
        "міністр міністерка президент президентка прем'єр-міністр віцепрем'єр-міністр "
        "віцепрем'єр-міністерка віцепрем'єр прем'єр секретар речник речниця голова очільник "
        "посол мер губернатор керівник начальник командувач прокурор омбудсман уповноважений "
        "радник представник депутат спікер генпрокурор".split()
    ),
    org_heads=frozenset(
        "міністерство служба рада адміністрація прокуратура поліція управління комісія "
        "офіс штаб агентство організація комітет суд уряд".split()
    ),
    pronouns=frozenset("він вона вони".split()),
    near_words=frozenset("під поблизу неподалік біля околиця".split()),
    country_words=frozenset("країна".split()),
    subordinate=frozenset("коли поки доки".split()),
    months={
        "січень": 1, "лютий": 2, "березень": 3, "квітень": 4, "травень": 5, "червень": 6,
        "липень": 7, "серпень": 8, "вересень": 9, "жовтень": 10, "листопад": 11,
        "грудень": 12, "січня": 1, "лютого": 2, "березня": 3, "квітня": 4, "травня": 5,
        "червня": 6, "липня": 7, "серпня": 8, "вересня": 9, "жовтня": 10, "листопада": 11,
        "грудня": 12,
    },
    weekdays={
        "понеділок": 0, "вівторок": 1, "середа": 2, "четвер": 3, "п'ятниця": 4, "субота": 5,
        "неділя": 6,
    },
    relative_days={"вчора": -1, "учора": -1, "сьогодні": 0, "позавчора": -2},
    last_words=frozenset("минулий".split()),
    this_words=frozenset("цей".split()),
    week_words=frozenset("тиждень".split()),
    weekend_words=frozenset("вихідні вихідний".split()),
    night_words=frozenset("ніч".split()),
    year_words=frozenset("рік р".split()),
    not_places=frozenset(
        "так тем але вона він вони мир ми там тут саме серед ще вже лише тільки кривий "
        "новий старий великий малий білий червоний заява влада ворог".split()
    ),
    region_nouns=frozenset("область район громада".split()),
)
