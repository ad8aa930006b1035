"""Invented but realistic demo data: regions, districts, departments and organisations of all four forms.

Loaded into the embedded SQLite database by `qamqor setup` (the README's run command) so a newcomer meets a bot
with real choices: some organisations with free places, some with queues, one not accepting now.
"""

from __future__ import annotations

# (code, kk, ru, en)
REGIONS = [
    ("almaty_city", "Алматы қаласы", "город Алматы", "Almaty city"),
    ("astana_city", "Астана қаласы", "город Астана", "Astana city"),
    ("karaganda_region", "Қарағанды облысы", "Карагандинская область", "Karaganda region"),
]

# (code, region code, kk, ru, en)
DISTRICTS = [
    ("almaly", "almaty_city", "Алмалы ауданы", "Алмалинский район", "Almaly district"),
    ("bostandyk", "almaty_city", "Бостандық ауданы", "Бостандыкский район", "Bostandyk district"),
    ("auezov", "almaty_city", "Әуезов ауданы", "Ауэзовский район", "Auezov district"),
    ("yesil", "astana_city", "Есіл ауданы", "район Есиль", "Yesil district"),
    ("saryarka", "astana_city", "Сарыарқа ауданы", "район Сарыарка", "Saryarka district"),
    ("karaganda", "karaganda_region", "Қарағанды қаласы", "город Караганда", "Karaganda city"),
    ("temirtau", "karaganda_region", "Теміртау қаласы", "город Темиртау", "Temirtau city"),
]

# (code, district codes served, kk, ru, en)
DEPARTMENTS = [
    ("almaty_almaly_dept", ["almaly", "bostandyk"],
     "Алмалы ауданының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі",
     "Отдел занятости и социальных программ Алмалинского района",
     "Almaly district employment and social programmes department"),
    ("almaty_auezov_dept", ["auezov"],
     "Әуезов ауданының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі",
     "Отдел занятости и социальных программ Ауэзовского района",
     "Auezov district employment and social programmes department"),
    ("astana_dept", ["yesil", "saryarka"],
     "Астана қаласының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі",
     "Отдел занятости и социальных программ города Астаны",
     "Astana city employment and social programmes department"),
    ("karaganda_dept", ["karaganda", "temirtau"],
     "Қарағанды қаласының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі",
     "Отдел занятости и социальных программ города Караганды",
     "Karaganda city employment and social programmes department"),
]

ADULT_CATEGORIES = ["adult_psychoneuro", "disabled_adult", "elderly"]
CHILD_CATEGORIES = ["child_psychoneuro", "child_musculoskeletal"]
SHELTER_CATEGORIES = ["homeless", "released_prisoner"]
VICTIM_CATEGORIES = ["domestic_violence_victim", "trafficking_victim"]

# Each organisation: code, form, district, names (kk, ru, en), address, phone, categories, capacity, free places,
# accepting, and how many invented people already wait in its queue.
ORGANISATIONS = [
    dict(code="almaty_care_home_1", form="stationary", district="almaly",
         kk="№1 Қарттар мен мүгедектігі бар адамдарға арналған медициналық-әлеуметтік мекеме",
         ru="Медико-социальное учреждение для престарелых и лиц с инвалидностью №1",
         en="Care Home No. 1 for older people and people with disabilities",
         address="Almaty, Tole bi St 155", phone="+7 727 300 1001",
         categories=ADULT_CATEGORIES, capacity=220, free_places=0, accepting=True, waiting=6),
    dict(code="almaty_psychoneuro_home", form="stationary", district="bostandyk",
         kk="Психоневрологиялық медициналық-әлеуметтік мекеме",
         ru="Психоневрологическое медико-социальное учреждение",
         en="Psychoneurological Care Home",
         address="Almaty, Al-Farabi Ave 96", phone="+7 727 300 1002",
         categories=["adult_psychoneuro"], capacity=300, free_places=2, accepting=True, waiting=0),
    dict(code="almaty_children_home", form="stationary", district="auezov",
         kk="Мүгедектігі бар балаларға арналған медициналық-әлеуметтік мекеме",
         ru="Медико-социальное учреждение для детей с инвалидностью",
         en="Care Home for Children with Disabilities",
         address="Almaty, Zhandosov St 60", phone="+7 727 300 1003",
         categories=CHILD_CATEGORIES, capacity=150, free_places=0, accepting=True, waiting=3),
    dict(code="almaty_day_centre_balapan", form="semi_stationary", district="almaly",
         kk="«Балапан» оңалту орталығы (күндізгі болу)",
         ru="Реабилитационный центр дневного пребывания «Балапан»",
         en="Balapan day-care rehabilitation centre",
         address="Almaty, Abylai Khan Ave 79", phone="+7 727 300 2001",
         categories=CHILD_CATEGORIES, capacity=60, free_places=4, accepting=True, waiting=0),
    dict(code="almaty_day_centre_meyirim", form="semi_stationary", district="bostandyk",
         kk="«Мейірім» күндізгі болу орталығы",
         ru="Центр дневного пребывания «Мейірім»",
         en="Meyirim day-care centre",
         address="Almaty, Timiryazev St 42", phone="+7 727 300 2002",
         categories=ADULT_CATEGORIES + CHILD_CATEGORIES, capacity=80, free_places=0, accepting=False, waiting=2),
    dict(code="almaty_home_care_service", form="home", district="almaly",
         kk="Алмалы ауданының үйде әлеуметтік қызмет көрсету бөлімшесі",
         ru="Отделение социального обслуживания на дому Алмалинского района",
         en="Almaly district home-care service",
         address="Almaty, Zheltoksan St 115", phone="+7 727 300 3001",
         categories=ADULT_CATEGORIES + CHILD_CATEGORIES, capacity=400, free_places=12, accepting=True, waiting=0),
    dict(code="almaty_shelter", form="temporary_stay", district="auezov",
         kk="Белгілі бір тұрғылықты жері жоқ адамдарға арналған әлеуметтік бейімдеу орталығы",
         ru="Центр социальной адаптации для лиц без определённого места жительства",
         en="Social adaptation centre for people with no fixed abode",
         address="Almaty, Rayimbek Ave 500", phone="+7 727 300 4001",
         categories=SHELTER_CATEGORIES, capacity=120, free_places=15, accepting=True, waiting=0),
    dict(code="almaty_crisis_centre", form="temporary_stay", district="bostandyk",
         kk="Тұрмыстық зорлық-зомбылық құрбандарына арналған дағдарыс орталығы",
         ru="Кризисный центр для жертв бытового насилия",
         en="Crisis centre for victims of domestic violence",
         address="Almaty (address given by phone for safety)", phone="+7 727 300 4002",
         categories=VICTIM_CATEGORIES, capacity=40, free_places=5, accepting=True, waiting=0),
    dict(code="astana_care_home", form="stationary", district="yesil",
         kk="Астана қаласының қарттар үйі",
         ru="Дом престарелых города Астаны",
         en="Astana care home for older people",
         address="Astana, Kabanbay Batyr Ave 21", phone="+7 717 200 1001",
         categories=["elderly", "disabled_adult"], capacity=250, free_places=1, accepting=True, waiting=4),
    dict(code="astana_day_centre", form="semi_stationary", district="saryarka",
         kk="«Шапағат» күндізгі болу орталығы",
         ru="Центр дневного пребывания «Шапагат»",
         en="Shapagat day-care centre",
         address="Astana, Seifullin St 12", phone="+7 717 200 2001",
         categories=ADULT_CATEGORIES, capacity=50, free_places=3, accepting=True, waiting=0),
    dict(code="astana_home_care", form="home", district="yesil",
         kk="Есіл ауданының үйде қызмет көрсету орталығы",
         ru="Центр надомного обслуживания района Есиль",
         en="Yesil district home-care centre",
         address="Astana, Turan Ave 50", phone="+7 717 200 3001",
         categories=ADULT_CATEGORIES + CHILD_CATEGORIES, capacity=300, free_places=0, accepting=True, waiting=5),
    dict(code="karaganda_care_home", form="stationary", district="karaganda",
         kk="Қарағанды психоневрологиялық медициналық-әлеуметтік мекемесі",
         ru="Карагандинское психоневрологическое медико-социальное учреждение",
         en="Karaganda psychoneurological care home",
         address="Karaganda, Bukhar Zhyrau Ave 47", phone="+7 7212 40 1001",
         categories=["adult_psychoneuro", "disabled_adult"], capacity=350, free_places=0, accepting=True,
         waiting=8),
    dict(code="temirtau_shelter", form="temporary_stay", district="temirtau",
         kk="Теміртау қаласының түнгі болу бөлімшесі бар бейімдеу орталығы",
         ru="Центр адаптации с отделением ночного пребывания города Темиртау",
         en="Temirtau adaptation centre with a night shelter",
         address="Temirtau, Respublika Ave 9", phone="+7 7213 40 4001",
         categories=SHELTER_CATEGORIES, capacity=60, free_places=7, accepting=True, waiting=0),
]
