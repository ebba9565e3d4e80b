"""Russian word lists for the Cyrillic analyser (lemmas as pymorphy3's ru dictionary gives them)."""

from __future__ import annotations

from .lexicon import Lexicon, Trigger, entries, phrase

_T = Trigger

TRIGGERS = (
    # killing
    _T(phrase("убить"), "killing", "killed", "person"),
    _T(phrase("убивать"), "killing", "killed", "person"),
    _T(phrase("убийство"), "killing", "killed", "person"),
    _T(phrase("расстрелять"), "killing", "killed", "person"),
    _T(phrase("расстреливать"), "killing", "killed", "person"),
    _T(phrase("расстрел"), "killing", "killed", "person"),
    _T(phrase("казнить"), "killing", "killed", "none"),
    _T(phrase("казнь"), "killing", "killed", "none"),
    _T(phrase("застрелить"), "killing", "killed", "person"),
    _T(phrase("замучить"), "killing", "killed", "none"),
    _T(phrase("резня"), "killing", "killed", "none"),
    _T(phrase("погибнуть"), "killing", "killed", "cause"),
    _T(phrase("гибнуть"), "killing", "killed", "cause"),
    _T(phrase("гибель"), "killing", "killed", "cause"),
    _T(phrase("погибший"), "killing", "killed", "cause"),
    _T(phrase("тело"), "killing", "killed", "person_or_many"),
    # mass graves
    _T(phrase("братский могила"), "mass_grave", "killed"),
    _T(phrase("массовый захоронение"), "mass_grave", "killed"),
    _T(phrase("массовый могила"), "mass_grave", "killed"),
    _T(phrase("эксгумация"), "mass_grave", "killed"),
    _T(phrase("эксгумировать"), "mass_grave", "killed"),
    # torture
    _T(phrase("пытать"), "torture", "tortured", "person"),
    _T(phrase("пытка"), "torture", "tortured"),
    _T(phrase("истязать"), "torture", "tortured", "person"),
    _T(phrase("издевательство"), "torture", "tortured", "person"),
    # sexual violence
    _T(phrase("изнасиловать"), "sexual_violence", "sexual_violence"),
    _T(phrase("изнасилование"), "sexual_violence", "sexual_violence"),
    _T(phrase("сексуальный насилие"), "sexual_violence", "sexual_violence"),
    # detention
    _T(phrase("задержать"), "detention", "detained", "person", "arrest"),
    _T(phrase("задержание"), "detention", "detained", "person", "arrest"),
    _T(phrase("арестовать"), "detention", "detained", "person", "arrest"),
    _T(phrase("арест"), "detention", "detained", "person", "arrest"),
    _T(phrase("похитить"), "detention", "detained", "person", "abduction"),
    _T(phrase("похищать"), "detention", "detained", "person", "abduction"),
    _T(phrase("похищение"), "detention", "detained", "person", "abduction"),
    _T(phrase("плен"), "detention", "detained", "person", "captivity"),
    _T(phrase("пленить"), "detention", "detained", "person", "captivity"),
    _T(phrase("удерживать"), "detention", "detained", "person", "captivity"),
    _T(phrase("заложник"), "detention", "detained", "none", "captivity"),
    _T(phrase("пропасть без весть"), "detention", "missing", "none", "disappearance"),
    _T(phrase("насильственный исчезновение"), "detention", "missing", "none", "disappearance"),
    # deportation
    _T(phrase("депортировать"), "deportation", "displaced", "person"),
    _T(phrase("депортация"), "deportation", "displaced"),
    _T(phrase("вывезти"), "deportation", "displaced", "person"),
    _T(phrase("вывозить"), "deportation", "displaced", "person"),
    _T(phrase("принудительный перемещение"), "deportation", "displaced"),
    # attacks
    _T(phrase("обстрелять"), "attack_on_civilians", None, "target"),
    _T(phrase("обстреливать"), "attack_on_civilians", None, "target"),
    _T(phrase("обстрел"), "attack_on_civilians", None, "target"),
    _T(phrase("удар"), "attack_on_civilians", None, "target"),
    _T(phrase("авиаудар"), "attack_on_civilians", None, "target"),
    _T(phrase("бомбардировка"), "attack_on_civilians", None, "target"),
    _T(phrase("бомбить"), "attack_on_civilians", None, "target"),
    _T(phrase("атаковать"), "attack_on_civilians", None, "target"),
    _T(phrase("атака"), "attack_on_civilians", None, "target"),
    _T(phrase("взрыв"), "attack_on_civilians", None, "target"),
    _T(phrase("попадание"), "attack_on_civilians", None, "target"),
    _T(phrase("прилёт"), "attack_on_civilians", None, "target"),
    _T(phrase("прилет"), "attack_on_civilians", None, "target"),
    # destruction and pillage
    _T(phrase("разграбить"), "pillage_destruction", "damaged", "none"),
    _T(phrase("грабить"), "pillage_destruction", "damaged", "none"),
    _T(phrase("мародёрство"), "pillage_destruction", "damaged", "none"),
    _T(phrase("мародерство"), "pillage_destruction", "damaged", "none"),
    _T(phrase("мародёр"), "pillage_destruction", "damaged", "none"),
    _T(phrase("разрушить"), "pillage_destruction", "damaged", "property"),
    _T(phrase("уничтожить"), "pillage_destruction", "damaged", "property"),
    _T(phrase("сжечь"), "pillage_destruction", "damaged", "property"),
    _T(phrase("поджечь"), "pillage_destruction", "damaged", "property"),
    # prohibited weapons
    _T(phrase("кассетный"), "prohibited_weapon", None, "none"),
    _T(phrase("химический оружие"), "prohibited_weapon", None, "none"),
    _T(phrase("химический атака"), "prohibited_weapon", None, "none"),
    _T(phrase("фосфорный"), "prohibited_weapon", None, "none"),
    _T(phrase("зажигательный боеприпас"), "prohibited_weapon", None, "none"),
    _T(phrase("запрещённый оружие"), "prohibited_weapon", None, "none"),
)

MILITARY = frozenset(
    "войско войска военный армия сила подразделение солдат оккупант ракета удар обстрел "
    "артиллерия авиация самолёт дрон беспилотник бригада батальон группировка боевик "
    "силовик танк снаряд".split()
)

LEXICON = Lexicon(
    code="ru",
    triggers=TRIGGERS,
    sides={
        **entries("оккупант рашист кремль рф росгвардия вагнеровец", "RU"),
        **entries("россия", "RU"),
        **entries("днр лнр кадыровец", "RU"),
        **entries("всу зсу тро азов нацгвардия сбу", "UA"),
        "вс рф": "RU",
        "вооружённый сила рф": "RU",
        "вооружённый сила россия": "RU",
        "вооружённый сила украина": "UA",
    },
    side_adjectives={
        **entries("российский россиянин кремлёвский оккупационный", "RU"),
        **entries("украинский", "UA"),
    },
    military=MILITARY,
    categories={
        **entries("мирный гражданский житель население невинный", "civilians"),
        **entries("ребёнок дети детский младенец подросток школьник", "children"),
        **entries("женщина", "women"),
        **entries(
            "глава голова староста мэр чиновник руководитель лидер депутат должностной",
            "officials",
        ),
        **entries("журналист репортёр", "journalists"),
        **entries("врач медик волонтёр спасатель", "aid workers"),
        **entries("военнопленный пленный", "prisoners"),
        **entries("человек люди лицо мужчина гражданин", "people"),
        **entries("военный солдат боец военнослужащий", "combatants"),
    },
    harm_nouns={
        "погибший": "killed",
        "убитый": "killed",
        "раненый": "injured",
        "раненный": "injured",
        "пострадавший": "injured",
        "задержанный": "detained",
        "пленный": "detained",
        "пропавший": "missing",
        "депортированный": "displaced",
    },
    harm_verbs={
        **entries("убить убивать расстрелять расстреливать погибнуть гибнуть", "killed"),
        **entries("застрелить казнить гибель убийство", "killed"),
        **entries("ранить ранение травмировать пострадать травма", "injured"),
        **entries("задержать арестовать похитить удерживать плен пленить", "detained"),
        **entries("депортировать вывезти", "displaced"),
        **entries("пытать", "tortured"),
    },
    numbers={
        "один": 1, "одна": 1, "два": 2, "две": 2, "двое": 2, "три": 3, "трое": 3,
        "четыре": 4, "четверо": 4, "пять": 5, "пятеро": 5, "шесть": 6, "шестеро": 6,
        "семь": 7, "семеро": 7, "восемь": 8, "девять": 9, "десять": 10, "одиннадцать": 11,
        "двенадцать": 12, "тринадцать": 13, "четырнадцать": 14, "пятнадцать": 15,
        "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19,
        "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60,
        "семьдесят": 70, "восемьдесят": 80, "девяносто": 90, "сто": 100, "двести": 200,
        "триста": 300, "четыреста": 400, "пятьсот": 500, "тысяча": 1000,
    },
    vague={
        "десяток": 20, "десятка": 20, "сотня": 200, "тысяча": 2000, "несколько": 3,
        "многочисленный": 2, "много": 2, "множество": 2,
    },
    at_least=frozenset("минимум".split()),
    more_than=frozenset("более больше свыше".split()),
    up_to=frozenset("до".split()),
    about=frozenset("около примерно почти порядка".split()),
    body_nouns=frozenset("тело труп останки".split()),
    civilian_objects=frozenset(
        "дом многоэтажка жилой квартира двор улица рынок магазин остановка вокзал автобус "
        "поезд город село посёлок гражданский житель населённый торговый центр "
        "инфраструктура энергетический подстанция".split()
    ),
    protected_objects=frozenset(
        "больница госпиталь поликлиника роддом родильный школа садик детсад университет "
        "церковь храм собор мечеть синагога укрытие бомбоубежище театр музей библиотека "
        "гуманитарный эвакуационный конвой скорая".split()
    ),
    property_objects=frozenset(
        "дом квартира школа церковь храм больница магазин ферма имущество жильё село "
        "библиотека музей".split()
    ),
    attack_words=frozenset(
        "обстрел удар ракета снаряд бомба взрыв атака авиаудар дрон беспилотник мина "
        "обстрелять бомбардировка артиллерия".split()
    ),
    accident_words=frozenset(
        "дтп авария пожар наводнение землетрясение болезнь инфаркт утонуть "
        "отравление".split()
    ),
    negations=frozenset("не ни никакой".split()),
    hypothetical=frozenset("возможно если угроза мочь бы вероятно".split()),
    reporting=frozenset(
        "заявить заявлять сообщить сообщать сказать говорить рассказать рассказывать "
        "утверждать отметить отмечать подчеркнуть добавить подтвердить написать".split()
    ),
    according_to=(("по", "словам"), ("по", "данным"), ("по", "информации"), ("как", "сообщает"),
                  ("как", "сообщили"), ("как", "сообщила"), ("как", "сообщил")),
    accuse=frozenset("обвинять обвинить обвинение".split()),
    deny=frozenset("отрицать опровергнуть опровергать отвергнуть отвергать".split()),
    deny_names=frozenset("провокация фейк постановка инсценировка ложь".split()),
    accusation_nouns=frozenset("обвинение заявление утверждение это".split()),
    condemn=frozenset("осудить осуждать осуждение".split()),
    investigate=frozenset("расследование расследовать трибунал".split()),
    demand=frozenset("требовать потребовать призвать призывать требование призыв".split()),
    speech=frozenset(
        "сказать заявить сообщить отметить подчеркнуть добавить назвать рассказать "
        "написать ответить говорить заявлять".split()
    ),
    naming=frozenset("назвать называть".split()),
    role_nouns=frozenset(
        "министр президент премьер-министр вице-премьер вице-премьер-министр премьер "
        "секретарь госсекретарь пресс-секретарь представитель глава мэр губернатор "
        "руководитель начальник командующий прокурор омбудсмен уполномоченный советник "
        "депутат спикер генпрокурор".split()
    ),
    org_heads=frozenset(
        "министерство служба совет администрация прокуратура полиция управление комиссия "
        "офис штаб агентство организация комитет суд правительство".split()
    ),
    pronouns=frozenset("он она они".split()),
    near_words=frozenset("под вблизи неподалёку около окрестность рядом".split()),
    country_words=frozenset("страна".split()),
    subordinate=frozenset("когда пока".split()),
    months={
        "январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5, "июнь": 6, "июль": 7,
        "август": 8, "сентябрь": 9, "октябрь": 10, "ноябрь": 11, "декабрь": 12,
        "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
        "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
    },
    weekdays={
        "понедельник": 0, "вторник": 1, "среда": 2, "четверг": 3, "пятница": 4,
        "суббота": 5, "воскресенье": 6,
    },
    relative_days={"вчера": -1, "сегодня": 0, "позавчера": -2},
    last_words=frozenset("прошлый".split()),
    this_words=frozenset("этот".split()),
    week_words=frozenset("неделя".split()),
    weekend_words=frozenset("выходные выходной".split()),
    night_words=frozenset("ночь".split()),
    year_words=frozenset("год г".split()),
    not_places=frozenset(
        "так тем но она он они мир мы там тут среди ещё уже лишь только владимир новый "
        "старый великий малый белый красный власть враг".split()
    ),
    region_nouns=frozenset("область район община".split()),
)
