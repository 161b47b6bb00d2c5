"""The labelled set that measures screening's quality, and the synthetic lists the bench screens against.

The set lives in ``tests/screening/labelled/`` (``list.json``: the entries; ``queries.csv``: the
labelled queries). Those files are the set; this module wrote them (``generate``, seed fixed) and reads
them (``load``). To write them again (only when the set is meant to change):

    .venv/bin/python -m tests.screening.quality --write

How the set is made. Names come from stocks written here, by culture: Arabic (Latin spellings and the
Arabic script), Russian (Cyrillic, written in Latin by BGN/PCGN as OFAC does, by ICAO 9303 as Russian
passports do, and the German way), Chinese (characters and pinyin), Spanish (two surnames, accents) and
English, and companies (distinctive words, generic words, legal forms, Russian ones in Cyrillic). Each
stock name belongs to a group: its spellings are the same name. A list entry is built from groups; a
true variant is one entry's name changed one way (``kind``); a non-match is a name that shares at most
one group with every name on the list, whatever the matcher thinks: its label does not depend on the
matcher. Some queries carry a date of birth and countries (a customer's, consistent with the entry for
true variants, random for non-matches), about half carry none.

A few real SDN names (published facts) are among the entries, with variants: ``real-*``.
"""

# ruff: noqa: RUF001, S311 (names in Cyrillic on purpose; random.Random seeded for test data)

from __future__ import annotations

import csv
import json
import random
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from anyascii import anyascii

from kycrail.screening.entries import BirthDate, ListedName, ListEntry, NameKind, PartyType, Source
from kycrail.screening.matching import DEFAULT_THRESHOLD, Hit, Index, Query, QueryKind

LABELLED = Path(__file__).parent / "labelled"
SEED = 20260301

# ---------------------------------------------------------------------------------------------------
# Name stocks. One line per name: Latin spellings separated by "/", "=" then the original script.

ARABIC_GIVEN = """
Muhammad/Mohammed/Mohamed/Mohammad=محمد
Ahmad/Ahmed=أحمد
Ali=علي
Omar/Umar=عمر
Hasan/Hassan=حسن
Husayn/Hussein/Hussain=حسين
Khalid/Khaled=خالد
Ibrahim/Ebrahim=إبراهيم
Yusuf/Youssef/Yousef=يوسف
Mustafa/Moustafa/Mostafa=مصطفى
Abd al-Rahman/Abdulrahman/Abdel Rahman=عبد الرحمن
Abdullah/Abdallah/Abd Allah=عبد الله
Abd al-Aziz/Abdulaziz/Abdelaziz=عبد العزيز
Abd al-Karim/Abdulkarim/Abdelkarim=عبد الكريم
Said/Saeed=سعيد
Faisal/Faysal=فيصل
Hamza/Hamzah=حمزة
Tariq/Tarek/Tareq=طارق
Walid/Waleed=وليد
Nasser/Nasir/Naser=ناصر
Jamal/Gamal=جمال
Karim/Kareem=كريم
Mahmoud/Mahmud=محمود
Osama/Usama=أسامة
Bilal=بلال
Ayman=أيمن
Anwar=أنور
Adel/Adil=عادل
Bashar=بشار
Fadi=فادي
Ghassan=غسان
Hisham/Hesham=هشام
Imad/Emad=عماد
Jawad=جواد
Kamal=كمال
Majid/Majed=ماجد
Marwan=مروان
Nabil/Nabeel=نبيل
Qasim/Kassem/Qassem=قاسم
Rami=رامي
Riyad/Riad=رياض
Sami=سامي
Samir/Sameer=سمير
Sulayman/Suleiman/Sulaiman=سليمان
Talal=طلال
Wael/Wail=وائل
Yasin/Yassin/Yaseen=ياسين
Zakariya/Zakaria=زكريا
Ziad/Ziyad=زياد
Amir/Ameer=أمير
Badr/Bader=بدر
Fawzi/Fawzy=فوزي
Habib=حبيب
Idris/Idriss=إدريس
Jafar/Jaafar=جعفر
Munir/Mounir=منير
Rashid/Rached=راشد
Shadi=شادي
Tawfiq/Tawfik=توفيق
Yahya=يحيى
Zayd/Zaid=زيد
Hamid/Hamed=حامد
Mansur/Mansour=منصور
Musa/Moussa=موسى
Isa/Issa=عيسى
"""

ARABIC_FAMILY = """
al-Masri/el-Masry/Masri=المصري
al-Tikriti/Tikriti=التكريتي
al-Baghdadi/Baghdadi=البغدادي
al-Halabi/Halabi=الحلبي
al-Shami/ash-Shami/el-Shami=الشامي
al-Hashimi/al-Hashemi/Hashemi=الهاشمي
al-Qurashi/Qurashi=القرشي
al-Tamimi/Tamimi=التميمي
al-Zahrani/Zahrani=الزهراني
al-Ghamdi/Ghamdi=الغامدي
al-Otaibi/al-Utaybi=العتيبي
al-Harbi/Harbi=الحربي
al-Shammari/Shammari=الشمري
al-Dulaimi/Dulaimi=الدليمي
al-Jubouri/al-Juburi=الجبوري
al-Obeidi/al-Ubaydi=العبيدي
al-Azzawi/Azzawi=العزاوي
al-Kubaisi/Kubaisi=الكبيسي
al-Rawi/Rawi=الراوي
al-Saadi/Saadi=السعدي
al-Khatib/Khatib/El Khatib=الخطيب
Haddad/al-Haddad=حداد
al-Najjar/Najjar=النجار
Hamdan=حمدان
Khoury/Khouri=خوري
Darwish/Darwich=درويش
Saleh/Salih=صالح
Abbas=عباس
Barakat=بركات
Ghanem/Ghanim=غانم
Hijazi/Hegazi=حجازي
Jaber/Jabir=جابر
Mahdi/Mehdi=مهدي
Nouri/Nuri=نوري
al-Qasimi/Qasimi=القاسمي
al-Rifai/Rifai=الرفاعي
al-Sabbagh/Sabbagh=الصباغ
Shaheen/Shahin=شاهين
al-Awlaki/Awlaki=العولقي
al-Yamani/Yamani=اليمني
al-Libi/Libi=الليبي
al-Iraqi/Iraqi=العراقي
al-Falahi/Falahi=الفلاحي
al-Musawi/al-Moussawi=الموسوي
Zaidan/Zeidan=زيدان
al-Bakri/Bakri=البكري
Farouk/Faruq=فاروق
Othman/Uthman=عثمان
Qaddura/Kaddoura=قدورة
al-Zubaidi/Zubaidi=الزبيدي
al-Khalifa/Khalifa=الخليفة
al-Maliki/Maliki=المالكي
al-Ansari/Ansari=الأنصاري
al-Mutairi/Mutairi=المطيري
al-Anzi/Anezi=العنزي
"""

ARABIC_WEAK = "Abu"  # a kunya, "father of X": the typical weak a.k.a.

RUSSIAN_MALE = """Александр Алексей Анатолий Андрей Антон Аркадий Артём Борис Вадим Валентин Валерий Василий
Виктор Виталий Владимир Владислав Вячеслав Геннадий Георгий Глеб Григорий Денис Дмитрий Евгений Егор
Иван Игорь Кирилл Константин Леонид Максим Михаил Николай Олег Павел Пётр Роман Руслан Сергей
Станислав Степан Тимур Фёдор Юрий Ярослав Семён Матвей Эдуард Ефим Тимофей"""

RUSSIAN_FEMALE = """Анна Елена Ольга Наталья Ирина Татьяна Светлана Мария Екатерина Юлия Анастасия Марина
Людмила Галина Оксана Вера Надежда Дарья Ксения Алина Виктория Евгения Полина Валентина Лариса"""

RUSSIAN_SURNAMES = """Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов
Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин
Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов Александров
Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов
Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоров Матвеев Титов
Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов Казаков Афанасьев Данилов
Савельев Тимофеев Фомин Чернов Абрамов Мартынов Ефимов Федотов Щербаков Назаров Калинин Исаев Чернышёв
Быков Маслов Родионов Коновалов Лазарев Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров
Наумов Потапов Журавлёв Овчинников Трофимов Леонов Соболев Ермаков Колесников Гончаров Емельянов
Никифоров Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев Панов Моисеев Румянцев Акимов
Кондратьев Бирюков Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов Михеев Скворцов Юдин Белоусов
Нестеров Симонов Прокофьев Харитонов Князев Цветков Левин Митрофанов Воронов Аксёнов Мальцев Логинов
Горшков Савин Краснов Майоров Демидов Елисеев Рыбаков Сафонов Плотников Хохлов Фадеев Молчанов Игнатов
Литвинов Ершов Ушаков Дементьев Рябов Мухин Калашников Леонтьев Лобанов Кузин Корнилов Евдокимов Бородин
Платонов Некрасов Балашов Бобров Жданов Блинов Коротков Муравьёв Крюков Богомолов Дроздов Лавров Зуев
Петухов Ларин Никулин Серов Терентьев Зотов Устинов Фокин Самойлов Сахаров Шишкин Самсонов Черкасов
Чистяков Носов Спиридонов Карасёв Авдеев Воронцов Зверев Селезнёв Нечаев Седов Фирсов Андрианов Панин
Головин Терехов Ульянов Шестаков Агеев Никонов Селиванов Баженов Гордеев Кожевников Пахомов Зимин
Костин Широков Филимонов Ларионов Сазонов Суворов Нефёдов Корнеев Трифонов Булгаков Дорофеев Шевченко
Коваленко Бондаренко Ткаченко Кравченко Мирошниченко Пригожин Ротенберг Тимченко Ковальчук Шамалов
Усманов Вексельберг Дерипаска Абрамович Потанин Чемезов Сечин Миллер Костюков Бортников Белоусов
Жириновский Маяковский Вишневский Ковальский Белинский Островский Троцкий"""

CHINESE_SURNAMES = """王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 罗 高 郑 梁 谢 宋
唐 韩 冯 邓 曹 彭 肖 田 董 袁 潘 蒋 蔡 杜 叶 程 苏 魏 丁 任 沈 姚 姜 崔 钟 谭 汪 范 金 石 廖 贾
夏 韦 方 白 邹 孟 熊 秦 邱 尹 薛 段 雷 侯 龙 史 陶 贺 顾 毛 郝 龚 邵 万 钱 严 戴 莫 孔 向 汤"""

CHINESE_GIVEN = """伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚 桂英 建华
建国 建军 志强 志明 海燕 小明 小红 晓东 晓峰 国庆 国强 文华 文杰 俊杰 子涵 浩然 宇轩 欣怡
梓萱 一鸣 天宇 海涛 永强 振华 德华 立新 红梅 玉兰 春梅 金龙 世杰 家豪 思远 雨桐 佳怡 嘉欣
博文 鹏飞 云飞 卫东 向东 学军 光明 少华 成龙 兴国 庆林 长江 海波"""

SPANISH_GIVEN = """José Juan Luis Carlos Jorge Miguel Pedro Manuel Francisco Antonio Alejandro Fernando
Ricardo Eduardo Rafael Sergio Andrés Diego Javier Raúl Óscar Héctor Alberto Roberto Pablo Gustavo Mario Hugo
Nicolás Rodrigo Enrique Víctor Julio César Ramón Gabriel Arturo Ernesto Gonzalo Ignacio María Ana Carmen
Lucía Isabel Sofía Elena Laura Patricia Gabriela Claudia Mónica Beatriz Adriana Daniela"""

SPANISH_SURNAMES = """García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Jiménez Ruiz
Hernández Díaz Moreno Álvarez Muñoz Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos Gil
Ramírez Serrano Blanco Suárez Molina Morales Ortega Delgado Castro Ortiz Rubio Marín Sanz Núñez Iglesias
Medina Garrido Cortés Castillo Santos Lozano Guerrero Cano Prieto Méndez Cruz Calvo Gallego Vidal León
Márquez Herrera Peña Flores Cabrera Campos Vega Fuentes Carrasco Caballero Reyes Nieto Aguilar Pascual
Santana Herrero Montero Lorenzo Hidalgo Ibáñez Ferrer Durán Santiago Benítez Mora Vicente Vargas Arias
Carmona Crespo Román Pastor Soto Sáez Velasco Moya Soler Parra Esteban Bravo Gallardo Rojas Cabello Rondón
Padrino Salazar Escobar Ochoa Zambrano Quintero Betancourt Villalobos Arreaga Bustamante Echeverría"""

ENGLISH_GIVEN = """James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel
Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward
Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel
Gregory Alexander Patrick Frank Raymond Jack Dennis Jerry Tyler Aaron Henry Peter Mary Patricia Jennifer
Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret Sandra Ashley Emily Donna
Michelle Carol Amanda Melissa Deborah Stephanie Rebecca Sharon Cynthia Kathleen Helen"""

ENGLISH_SURNAMES = """Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore Jackson
Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Hill Green Adams Baker Nelson
Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook
Rogers Morgan Peterson Cooper Reed Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett
Gray Hughes Price Sanders Myers Long Ross Foster Powell Jenkins Perry Russell Sullivan Fisher Henderson
Coleman Simmons Patterson Jordan Reynolds Hamilton Graham Wallace West Cole Hayes Bryant Gibson Ellis
Stevens Murray Ford Marshall Owens Harrison Kennedy Wells Webb Hunt Palmer Black Stone Lane Knight Elliott
Dunn Porter Hudson Spencer Gardner Payne Pierce Berry Armstrong Hart Lawrence Mason Ferguson Rose Holmes"""

COMPANY_WORDS = """Sunrise Zenith Horizon Falcon Phoenix Orion Atlas Polaris Meridian Summit Pinnacle Crescent
Emerald Sapphire Golden Silver Crystal Oasis Desert Cedar Olive Palm Pearl Coral Baltic Caspian Arctic
Pacific Atlantic Eastern Western Northern Royal Imperial Unity Liberty Victory Fortune Prosperity Harmony
Alliance Vanguard Apex Vertex Nova Stellar Lunar Solar Delta Sigma Omega Titan Mercury Jupiter Neptune
Aurora Vista Sierra Everest Sahara Tigris Euphrates Damascus Aleppo Basra Mosul Kabul Persia Andes
Orinoco Caribe Nordic Sable Cobalt Granite Marble Ivory Onyx Jade Amber Topaz Garnet Scarlet Azure Indigo
Magnolia Lotus Jasmine Saffron Condor Eagle Hawk Osprey Kestrel Heron Pelican Albatross Dolphin Marlin
Tiger Leopard Jaguar Panther Cheetah Lynx Bison Stallion Mustang Raven"""

COMPANY_GENERIC = """Trading Shipping Logistics Group Holding Industries Investment International Energy
Services Engineering Construction Commercial Marine Technologies Petroleum Oil Gas Chemicals Metals
Minerals Exchange Finance Bank Airlines Telecom Electronics Pharma Textiles Foods"""

RUSSIAN_COMPANY_WORDS = """Ромашка Севернефть Стройинвест Техноимпорт Промэкспорт Сибнефть Уралмаш Волгахим
Балтснаб Дальтранс Энергомаш Спецтехника Росавиа Южстрой Нефтегазстрой Металлинвест Агропром Востокснаб
Транснефтепродукт Промсервис Альфатрейд Техснаб Глобалстрой Химпром Автоснаб Торгсервис Морфлот Зерноторг
Лесэкспорт Оборонпром Радиоэлектроника Авиаприбор Спецмаш Промресурс Нефтехимсервис Стальмост
Кавказинвест Амурсталь Камапром Северсталь"""

LEGAL_FORMS_EN = (
    "LLC",
    "L.L.C.",
    "Ltd",
    "Ltd.",
    "Limited",
    "Inc.",
    "Corp.",
    "Co.",
    "Company",
    "FZE",
    "FZCO",
    "PLC",
)
LEGAL_FORMS_RU = (
    ("ООО", "OOO", "LIMITED LIABILITY COMPANY"),
    ("АО", "AO", "JOINT STOCK COMPANY"),
    ("ПАО", "PAO", "PUBLIC JOINT STOCK COMPANY"),
    ("ЗАО", "ZAO", "CLOSED JOINT STOCK COMPANY"),
)
LEGAL_FORMS_ES = ("S.A.", "SA", "S.R.L.", "SRL", "Sociedad Anonima")

WEAK_NICKNAMES = """Chef Shaman Professor Tiger Uncle Doc Engineer Baron Admiral Ghost Falcon Hunter Bear Wolf
Fox Prince Sultan Hajji Kaiser Boss Captain Major Saint Smiley Lucky Blackie Shorty Slim Red"""

COUNTRIES = {
    "arabic": ("SY", "IQ", "YE", "LB", "SA", "AE", "EG", "LY", "JO"),
    "russian": ("RU", "BY", "UA", "KZ"),
    "chinese": ("CN", "HK"),
    "spanish": ("VE", "CO", "MX", "ES", "CU", "NI"),
    "english": ("GB", "US", "IE", "AU", "CA"),
}
ALL_COUNTRIES = sorted({c for cs in COUNTRIES.values() for c in cs} | {"DE", "FR", "TR", "IR", "KP", "IN"})


# ---------------------------------------------------------------------------------------------------
# Transliteration of Russian by three systems: the lists' (BGN/PCGN, as OFAC), Russian passports' (ICAO
# 9303) and German's (Duden). The matcher's own (anyascii) is a fourth.

_VOWELS_RU = "аеёиоуыэюяъь"
_BGN = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
        "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
        "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "",
        "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya"}  # fmt: skip
_ICAO = {**_BGN, "й": "i", "ъ": "ie", "ю": "iu", "я": "ia"}
_GERMAN = {**_BGN, "в": "w", "ж": "sch", "з": "s", "й": "j", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
           "щ": "schtsch", "ы": "y", "ю": "ju", "я": "ja", "ё": "jo"}  # fmt: skip


def _russian(word: str, table: dict[str, str], *, iotated_e: str) -> str:
    out = []
    lower = word.lower()
    for i, char in enumerate(lower):
        after_vowel = i == 0 or lower[i - 1] in _VOWELS_RU
        if char in "её" and after_vowel:
            out.append(iotated_e)
        else:
            out.append(table.get(char, char))
    text = "".join(out)
    return text[:1].upper() + text[1:]


def bgn(word: str) -> str:
    return _russian(word, _BGN, iotated_e="ye")


def icao(word: str) -> str:
    return _russian(word, _ICAO, iotated_e="e")


def german(word: str) -> str:
    return _russian(word, _GERMAN, iotated_e="je")


# ---------------------------------------------------------------------------------------------------
# Stock items and generated names


@dataclass(frozen=True, slots=True)
class Item:
    """One name of a stock: ``group`` identifies it (its spellings are the same name), ``latin`` its Latin
    spellings (the first is the list's), ``script`` its original script when it has one."""

    group: str
    latin: tuple[str, ...]
    script: str = ""


@dataclass(frozen=True, slots=True)
class Part:
    role: str  # first, middle, last
    item: Item


@dataclass(frozen=True, slots=True)
class Person:
    culture: str
    parts: tuple[Part, ...]
    female: bool = False

    def groups(self) -> tuple[str, ...]:
        return tuple(p.item.group for p in self.parts)

    def role(self, role: str) -> list[Item]:
        return [p.item for p in self.parts if p.role == role]


def _latin_lines(stock: str) -> list[Item]:
    items = []
    for line in stock.strip().splitlines():
        latin, _, script = line.partition("=")
        spellings = tuple(s.strip() for s in latin.split("/"))
        items.append(Item(spellings[0].lower(), spellings, script.strip()))
    return items


def _unique(words: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(words))


def _russian_items(stock: str) -> list[Item]:
    return [Item(w.lower(), (bgn(w), icao(w), german(w)), w) for w in _unique(stock.split())]


def _patronymic(cyrillic: str, female: bool) -> str:
    special = {"Пётр": "Петров", "Павел": "Павлов", "Лев": "Львов"}
    if cyrillic in special:
        stem = special[cyrillic]
        return stem + ("на" if female else "ич")
    if cyrillic.endswith("ий") and cyrillic not in ("Дмитрий", "Георгий"):
        stem = cyrillic[:-2] + "ьев"
    elif cyrillic.endswith(("ей", "ай", "ий")):
        stem = cyrillic[:-1] + "ев"
    else:
        stem = cyrillic + "ов"
    return stem + ("на" if female else "ич")


def _feminine_surname(cyrillic: str) -> str:
    if cyrillic.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return cyrillic + "а"
    if cyrillic.endswith("ский"):
        return cyrillic[:-4] + "ская"
    if cyrillic.endswith("цкий"):
        return cyrillic[:-4] + "цкая"
    return cyrillic


def _accentless(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


@dataclass
class Stocks:
    arabic_given: list[Item]
    arabic_family: list[Item]
    russian_male: list[Item]
    russian_female: list[Item]
    russian_surnames: list[Item]
    chinese_surnames: list[Item]
    chinese_given: list[Item]
    spanish_given: list[Item]
    spanish_surnames: list[Item]
    english_given: list[Item]
    english_surnames: list[Item]
    company_words: list[Item]
    company_generic: list[Item]
    russian_company_words: list[Item]
    nicknames: list[str]


def _hanzi(chars: str) -> Item:
    latin = "".join(anyascii(c) for c in chars).capitalize()
    return Item(latin.lower(), (latin,), chars)


def stocks() -> Stocks:
    def spanish(stock: str) -> list[Item]:
        return [Item(_accentless(w).lower(), (_accentless(w), w)) for w in _unique(stock.split())]

    def plain(stock: str) -> list[Item]:
        return [Item(w.lower(), (w,)) for w in _unique(stock.split())]

    return Stocks(
        arabic_given=_latin_lines(ARABIC_GIVEN),
        arabic_family=_latin_lines(ARABIC_FAMILY),
        russian_male=_russian_items(RUSSIAN_MALE),
        russian_female=_russian_items(RUSSIAN_FEMALE),
        russian_surnames=_russian_items(RUSSIAN_SURNAMES),
        chinese_surnames=_unique_items(_hanzi(c) for c in CHINESE_SURNAMES.split()),
        chinese_given=_unique_items(_hanzi(c) for c in CHINESE_GIVEN.split()),
        spanish_given=spanish(SPANISH_GIVEN),
        spanish_surnames=spanish(SPANISH_SURNAMES),
        english_given=plain(ENGLISH_GIVEN),
        english_surnames=plain(ENGLISH_SURNAMES),
        company_words=plain(COMPANY_WORDS),
        company_generic=plain(COMPANY_GENERIC),
        russian_company_words=_russian_items(RUSSIAN_COMPANY_WORDS),
        nicknames=WEAK_NICKNAMES.split(),
    )


def _unique_items(items: Iterable[Item]) -> list[Item]:
    return list({item.group: item for item in items}.values())


# ---------------------------------------------------------------------------------------------------
# People and companies drawn from the stocks


def _person(rng: random.Random, s: Stocks, culture: str, *, middle: bool | None = None) -> Person:
    with_middle = rng.random() < 0.6 if middle is None else middle
    if culture == "arabic":
        first = rng.choice(s.arabic_given)
        father = rng.choice([g for g in s.arabic_given if g.group != first.group])
        parts = [Part("first", first)] + ([Part("middle", father)] if with_middle else [])
        return Person(culture, (*parts, Part("last", rng.choice(s.arabic_family))))
    if culture == "russian":
        female = rng.random() < 0.25
        first = rng.choice(s.russian_female if female else s.russian_male)
        surname = rng.choice(s.russian_surnames)
        if female:
            fem = _feminine_surname(surname.script)
            surname = Item(surname.group, (bgn(fem), icao(fem), german(fem)), fem)
        parts = [Part("first", first)]
        if with_middle:
            father = rng.choice(s.russian_male)
            patronymic = _patronymic(father.script, female)
            parts.append(
                Part(
                    "middle",
                    Item(
                        patronymic.lower(),
                        (bgn(patronymic), icao(patronymic), german(patronymic)),
                        patronymic,
                    ),
                )
            )
        return Person(culture, (*parts, Part("last", surname)), female)
    if culture == "chinese":
        return Person(
            culture,
            (Part("first", rng.choice(s.chinese_given)), Part("last", rng.choice(s.chinese_surnames))),
        )
    if culture == "spanish":
        first = rng.choice(s.spanish_given)
        parts = [Part("first", first)]
        if with_middle:
            parts.append(Part("middle", rng.choice([g for g in s.spanish_given if g.group != first.group])))
        paternal = rng.choice(s.spanish_surnames)
        parts.append(Part("last", paternal))
        if rng.random() < 0.7:
            parts.append(
                Part("last", rng.choice([x for x in s.spanish_surnames if x.group != paternal.group]))
            )
        return Person(culture, tuple(parts))
    first = rng.choice(s.english_given)
    parts = [Part("first", first)]
    if with_middle:
        parts.append(Part("middle", rng.choice([g for g in s.english_given if g.group != first.group])))
    return Person(culture, (*parts, Part("last", rng.choice(s.english_surnames))))


def _listed_spelling(item: Item) -> str:
    return item.latin[0]


def _ofac_full(person: Person, spelling: Any = _listed_spelling) -> str:
    """OFAC's "LAST, First Middle"."""
    last = " ".join(spelling(i) for i in person.role("last")).upper()
    given = " ".join(spelling(i) for i in person.role("first") + person.role("middle"))
    return f"{last}, {given}"


def _listed_person_name(rng: random.Random, person: Person, kind: NameKind) -> ListedName:
    """Either OFAC's full text or the UN's parts."""
    if rng.random() < 0.7:
        return ListedName(_ofac_full(person), kind)
    parts = {
        r: " ".join(_listed_spelling(i) for i in person.role(r)) or None for r in ("first", "middle", "last")
    }
    full = " ".join(x for x in (parts["first"], parts["middle"], parts["last"]) if x)
    return ListedName(full, kind, first=parts["first"], middle=parts["middle"], last=parts["last"])


def _aka_spelling(rng: random.Random, person: Person) -> Person | None:
    """The same person under other Latin spellings of its names, if its stocks have any."""
    parts = []
    changed = False
    for part in person.parts:
        if len(part.item.latin) > 1 and rng.random() < 0.6:
            other = rng.choice(part.item.latin[1:])
            parts.append(Part(part.role, replace(part.item, latin=(other, *part.item.latin))))
            changed = True
        else:
            parts.append(part)
    return Person(person.culture, tuple(parts), person.female) if changed else None


def _birth_dates(rng: random.Random) -> tuple[BirthDate, ...]:
    roll = rng.random()
    year = rng.randint(1940, 2000)
    if roll < 0.5:
        return (BirthDate(year, rng.randint(1, 12), rng.randint(1, 28)),)
    if roll < 0.75:
        return (BirthDate(year),)
    if roll < 0.85:
        return (BirthDate(year, year_to=year + 2),)
    return ()


@dataclass
class Company:
    words: tuple[Item, ...]  # distinctive, then generic
    form: str  # the listed legal form
    russian: bool = False
    russian_form: tuple[str, str, str] | None = None

    def groups(self) -> tuple[str, ...]:
        return tuple(w.group for w in self.words)


def _company(rng: random.Random, s: Stocks, *, russian: bool | None = None) -> Company:
    is_russian = rng.random() < 0.3 if russian is None else russian
    if is_russian:
        words = (rng.choice(s.russian_company_words),)
        if rng.random() < 0.3:
            words = (*words, rng.choice(s.company_generic))
        form = rng.choice(LEGAL_FORMS_RU)
        return Company(words, form[rng.choice((1, 2))], True, form)
    count = 1 if rng.random() < 0.5 else 2
    distinctive = tuple(rng.sample(s.company_words, count))
    generic = (rng.choice(s.company_generic),) if rng.random() < 0.8 else ()
    return Company(distinctive + generic, rng.choice(LEGAL_FORMS_EN + LEGAL_FORMS_ES))


def _company_name(company: Company, *, latin_form: str | None = None) -> str:
    words = " ".join(w.latin[0] for w in company.words)
    form = latin_form if latin_form is not None else company.form
    if company.russian and form.startswith(("LIMITED", "JOINT", "PUBLIC", "CLOSED")):
        return f"{form} {words}".upper()
    return f"{words} {form}".upper()


# ---------------------------------------------------------------------------------------------------
# The list


@dataclass
class Generated:
    """A generated list with what it was made of (for the labels)."""

    entries: list[ListEntry] = field(default_factory=list)
    people: dict[str, list[Person]] = field(default_factory=dict)  # source_id -> strong names' people
    companies: dict[str, Company] = field(default_factory=dict)
    weak: dict[str, str] = field(default_factory=dict)  # source_id -> its weak a.k.a.
    groups: list[tuple[tuple[str, ...], str]] = field(default_factory=list)  # every name's groups


CULTURE_SHARES = (("arabic", 0.35), ("russian", 0.2), ("chinese", 0.1), ("spanish", 0.1), ("english", 0.1))


def _culture(rng: random.Random) -> str:
    roll = rng.random()
    for culture, share in CULTURE_SHARES:
        if roll < share:
            return culture
        roll -= share
    return "company"


def generate_list(rng: random.Random, s: Stocks, size: int, *, source: Source = Source.ofac_sdn) -> Generated:
    out = Generated()
    seen: set[tuple[str, ...]] = set()
    while len(out.entries) < size:
        source_id = str(10_000 + len(out.entries))
        culture = _culture(rng)
        if culture == "company":
            company = _company(rng, s)
            if tuple(sorted(company.groups())) in seen:
                continue
            seen.add(tuple(sorted(company.groups())))
            out.entries.append(_company_entry(rng, source, source_id, company))
            out.companies[source_id] = company
            out.groups.append((company.groups(), source_id))
            continue
        person = _person(rng, s, culture)
        if tuple(sorted(person.groups())) in seen:
            continue
        seen.add(tuple(sorted(person.groups())))
        entry, people, weak = _person_entry(rng, s, source, source_id, person)
        out.entries.append(entry)
        out.people[source_id] = people
        out.groups.extend((p.groups(), source_id) for p in people)
        if weak:
            out.weak[source_id] = weak
    return out


def _person_entry(
    rng: random.Random, s: Stocks, source: Source, source_id: str, person: Person
) -> tuple[ListEntry, list[Person], str]:
    names = [_listed_person_name(rng, person, NameKind.primary)]
    people = [person]
    aka = _aka_spelling(rng, person) if rng.random() < 0.5 else None
    if aka is not None:
        names.append(_listed_person_name(rng, aka, NameKind.aka))
        people.append(aka)
    if rng.random() < 0.2:  # a second strong alias: another surname, the rest as is
        other = _person(rng, s, person.culture, middle=False)
        if person.female != other.female:
            other = _person(rng, s, person.culture, middle=False)
        alias = Person(
            person.culture,
            (*[p for p in person.parts if p.role != "last"], *[p for p in other.parts if p.role == "last"]),
            person.female,
        )
        names.append(_listed_person_name(rng, alias, NameKind.aka))
        people.append(alias)
    weak = ""
    if rng.random() < 0.25:
        if person.culture == "arabic":
            weak = f"{ARABIC_WEAK} {rng.choice(s.arabic_given).latin[0]}"
        else:
            weak = rng.choice(s.nicknames)
        names.append(ListedName(weak, NameKind.weak_aka))
    countries = COUNTRIES[person.culture]
    entry = ListEntry(
        source=source,
        source_id=source_id,
        party_type=PartyType.individual,
        names=tuple(names),
        birth_dates=_birth_dates(rng),
        nationalities=(rng.choice(countries),) if rng.random() < 0.7 else (),
        programmes=("SDGT",),
    )
    return entry, people, weak


def _company_entry(rng: random.Random, source: Source, source_id: str, company: Company) -> ListEntry:
    names = [ListedName(_company_name(company), NameKind.primary)]
    if company.russian and company.russian_form is not None:
        other = (
            company.russian_form[2] if company.form == company.russian_form[1] else company.russian_form[1]
        )
        names.append(ListedName(_company_name(company, latin_form=other), NameKind.aka))
    country = "RU" if company.russian else rng.choice(ALL_COUNTRIES)
    return ListEntry(source, source_id, PartyType.entity, tuple(names), address_countries=(country,))


# ---------------------------------------------------------------------------------------------------
# Real published SDN names (facts), with a few variants each


def _real_entries() -> list[ListEntry]:
    return [
        ListEntry(Source.ofac_sdn, "real-prigozhin", PartyType.individual,
                  (ListedName("PRIGOZHIN, Yevgeniy Viktorovich", NameKind.primary),),
                  birth_dates=(BirthDate(1961, 6, 1),), citizenships=("RU",)),
        ListEntry(Source.ofac_sdn, "real-deripaska", PartyType.individual,
                  (ListedName("DERIPASKA, Oleg Vladimirovich", NameKind.primary),),
                  birth_dates=(BirthDate(1968, 1, 2),), citizenships=("RU",)),
        ListEntry(Source.ofac_sdn, "real-maduro", PartyType.individual,
                  (ListedName("MADURO MOROS, Nicolas", NameKind.primary),),
                  birth_dates=(BirthDate(1962, 11, 23),), nationalities=("VE",)),
        ListEntry(Source.ofac_sdn, "real-bank-melli", PartyType.entity,
                  (ListedName("BANK MELLI IRAN", NameKind.primary), ListedName("BANK MELLI", NameKind.aka)),
                  address_countries=("IR",)),
    ]  # fmt: skip


def _real_variants() -> list[LabelledQuery]:
    def person(
        i: int, kind: str, sid: str, first: str, last: str, middle: str = "", born: date | None = None
    ) -> LabelledQuery:
        return LabelledQuery(
            f"real-{i}", "match", kind, sid, Query.individual(first, last, middle, birth_date=born)
        )

    return [
        person(1, "transliteration", "real-prigozhin", "Евгений", "Пригожин", "Викторович"),
        person(2, "transliteration", "real-prigozhin", "Evgenii", "Prigozhin", born=date(1961, 6, 1)),
        person(3, "transliteration", "real-prigozhin", "Jewgeni", "Prigoschin"),
        person(4, "transliteration", "real-deripaska", "Олег", "Дерипаска"),
        person(5, "initials", "real-deripaska", "O.", "Deripaska", "V."),
        person(6, "transliteration", "real-maduro", "Nicolás", "Maduro Moros"),
        person(7, "missing_middle", "real-maduro", "Nicolas", "Maduro", born=date(1962, 11, 23)),
        LabelledQuery(
            "real-8", "match", "business", "real-bank-melli", Query.business("Bank Melli Iran PJSC")
        ),
        LabelledQuery("real-9", "match", "business", "real-bank-melli", Query.business("بانک ملی ایران")),
    ]


# ---------------------------------------------------------------------------------------------------
# Labelled queries


@dataclass(frozen=True, slots=True)
class LabelledQuery:
    id: str
    label: str  # "match": a variant of ``expected``'s name; "none": not on the list
    kind: str  # how the query was made
    expected: str  # the entry's source_id for a match, "" for none
    query: Query
    note: str = ""  # what it was made from


def _query_person(
    person: Person, spelling: Any, *, drop: str = "", initial: str = ""
) -> tuple[str, str, str]:
    def part(role: str) -> str:
        items = person.role(role)
        words = [spelling(i) for i in items]
        if role == drop:
            return ""
        if role == initial and words:
            return " ".join(f"{w[0]}." for w in words)
        return " ".join(words)

    return part("first"), part("middle"), part("last")


def _typo(rng: random.Random, word: str) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    # Not a word's first letter (a typo there is rare; "al-Masri" has two words), letters only.
    i = rng.choice(
        [k for k in range(1, len(word) - 1) if word[k - 1].isalpha() and word[k : k + 2].isalpha()]
    )
    op = rng.choice(("substitute", "delete", "insert", "swap"))
    if op == "substitute":
        return word[:i] + rng.choice([c for c in letters if c != word[i].lower()]) + word[i + 1 :]
    if op == "delete":
        return word[:i] + word[i + 1 :]
    if op == "insert":
        return word[:i] + rng.choice(letters) + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _customer_facts(rng: random.Random, entry: ListEntry) -> tuple[date | None, tuple[str, ...]]:
    """A true variant's customer: the entry's date of birth and country, about half the time."""
    born = None
    if entry.birth_dates and rng.random() < 0.5:
        bd = entry.birth_dates[0]
        year = rng.randint(bd.year, bd.year_to or bd.year)
        born = date(year, bd.month or rng.randint(1, 12), bd.day or rng.randint(1, 28))
    countries = entry.nationalities if rng.random() < 0.5 else ()
    return born, countries


def _random_facts(rng: random.Random) -> tuple[date | None, tuple[str, ...]]:
    born = (
        date(rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.5 else None
    )
    countries = (rng.choice(ALL_COUNTRIES),) if rng.random() < 0.5 else ()
    return born, countries


PERSON_KINDS = (
    ("exact", 40),
    ("reordered", 80),
    ("missing_middle", 100),
    ("typo", 130),
    ("initials", 80),
    ("transliteration", 200),
)


def _variants(rng: random.Random, gen: Generated, s: Stocks) -> list[LabelledQuery]:
    by_entry = {e.source_id: e for e in gen.entries}
    ids = sorted(gen.people)
    out: list[LabelledQuery] = []
    for kind, count in PERSON_KINDS:
        made = 0
        while made < count:
            sid = rng.choice(ids)
            person = rng.choice(gen.people[sid])
            made_query = _person_variant(rng, kind, person)
            if made_query is None:
                continue
            (first, middle, last), note = made_query
            born, countries = _customer_facts(rng, by_entry[sid])
            query = Query.individual(first, last, middle, birth_date=born, countries=countries)
            out.append(LabelledQuery(f"{kind}-{made}", "match", kind, sid, query, note))
            made += 1
    companies = sorted(gen.companies)
    for made in range(100):
        sid = rng.choice(companies)
        name, note = _company_variant(rng, gen.companies[sid])
        query = Query.business(name, countries=by_entry[sid].address_countries if rng.random() < 0.5 else ())
        out.append(LabelledQuery(f"business-{made}", "match", "business", sid, query, note))
    return out + _real_variants()


def _person_variant(rng: random.Random, kind: str, person: Person) -> tuple[tuple[str, str, str], str] | None:
    listed = _listed_spelling
    if kind == "exact":
        return _query_person(person, listed), "as listed"
    if kind == "reordered":
        first, middle, last = _query_person(person, listed)
        return (last, middle, first), "first and last swapped"
    if kind == "missing_middle":
        if person.role("middle"):
            return _query_person(person, listed, drop="middle"), "middle name left out"
        if person.culture == "spanish" and len(person.role("last")) == 2:
            first, middle, _ = _query_person(person, listed)
            return (first, middle, listed(person.role("last")[0])), "second surname left out"
        return None
    if kind == "typo":
        first, middle, last = _query_person(person, listed)
        fields = [f for f in (first, middle, last) if any(len(w) >= 5 for w in f.split())]
        if not fields:
            return None
        target = rng.choice(fields)
        words = target.split()
        i = rng.choice([k for k, w in enumerate(words) if len(w) >= 5])
        words[i] = _typo(rng, words[i])
        changed = " ".join(words)
        swap = {first: "first", middle: "middle", last: "last"}[target]
        parts = {"first": first, "middle": middle, "last": last, swap: changed}
        return (parts["first"], parts["middle"], parts["last"]), f"typo in {target!r}"
    if kind == "initials":
        role = "middle" if person.role("middle") and rng.random() < 0.5 else "first"
        if person.culture == "chinese":
            return None  # a Chinese given name is not written as an initial
        return _query_person(person, listed, initial=role), f"{role} name as an initial"
    return _transliteration(rng, person)


def _transliteration(rng: random.Random, person: Person) -> tuple[tuple[str, str, str], str] | None:
    if person.culture == "russian":
        how = rng.choice(("cyrillic", "icao", "german"))
        if how == "cyrillic":
            return _query_person(person, lambda i: i.script), "Cyrillic original"
        index = 1 if how == "icao" else 2
        return _query_person(person, lambda i: i.latin[index]), f"{how} transliteration"
    if person.culture == "arabic":
        if rng.random() < 0.4:
            return _query_person(person, lambda i: i.script), "Arabic script original"
        if not any(len(p.item.latin) > 1 for p in person.parts):
            return None
        return _query_person(person, lambda i: rng.choice(i.latin)), "other Latin spellings"
    if person.culture == "chinese":
        if rng.random() < 0.5:
            return (
                "",
                "",
                "".join(i.script for i in person.role("last") + person.role("first")),
            ), "characters, one field"
        return _query_person(person, lambda i: i.script), "characters"
    if person.culture == "spanish":
        return _query_person(person, lambda i: i.latin[-1]), "with accents"
    return None


def _company_variant(rng: random.Random, company: Company) -> tuple[str, str]:
    words = [w.latin[0] for w in company.words]
    how = rng.choice(("form", "no_form", "typo", "cyrillic", "missing_generic"))
    if how == "cyrillic" and company.russian and company.russian_form is not None:
        return (
            f"{company.russian_form[0]} «{' '.join(w.script or w.latin[0] for w in company.words)}»",
            "Cyrillic original",
        )
    if how == "typo" and any(len(w) >= 5 for w in words):
        i = rng.choice([k for k, w in enumerate(words) if len(w) >= 5])
        words[i] = _typo(rng, words[i])
        return f"{' '.join(words)} {company.form}", "typo"
    if how == "missing_generic" and len(company.words) > 1 and company.words[-1].group in _GENERIC_GROUPS:
        return f"{' '.join(words[:-1])} {rng.choice(LEGAL_FORMS_EN)}", "generic word left out"
    if how == "no_form":
        return " ".join(words).title(), "no legal form, title case"
    return f"{' '.join(words).title()} {rng.choice(LEGAL_FORMS_EN + LEGAL_FORMS_ES)}", "other legal form"


_GENERIC_GROUPS = frozenset(w.lower() for w in COMPANY_GENERIC.split())


def _not_listed(
    groups: Sequence[str], by_group: dict[str, list[int]], names: list[tuple[tuple[str, ...], str]]
) -> bool:
    """What "not on the list" means here: every listed name shares at most one of ``groups``, and
    neither holds all of the other's ("Romashka" is not "Romashka PAO"'s stranger)."""
    mine = set(groups)
    counts: dict[int, int] = defaultdict(int)
    for group in mine:
        for n in by_group.get(group, ()):
            counts[n] += 1
            if counts[n] >= 2:
                return False
    return all(len(mine) > 1 and len(set(names[n][0])) > 1 for n in counts)


NONE_KINDS = (("one_token", 1800), ("random", 1300), ("business", 600), ("weak_aka_only", 60))


def _non_matches(rng: random.Random, gen: Generated, s: Stocks) -> list[LabelledQuery]:
    by_group: dict[str, list[int]] = defaultdict(list)
    for n, (groups, _) in enumerate(gen.groups):
        for g in set(groups):
            by_group[g].append(n)
    out: list[LabelledQuery] = []
    ids = sorted(gen.people)
    for kind, count in NONE_KINDS:
        made = 0
        while made < count:
            made_query = _non_match(rng, kind, gen, s, ids)
            if made_query is None:
                continue
            query, groups, note = made_query
            if kind != "weak_aka_only" and not _not_listed(groups, by_group, gen.groups):
                continue
            out.append(LabelledQuery(f"{kind}-{made}", "none", kind, "", query, note))
            made += 1
    return out


def _non_match(
    rng: random.Random, kind: str, gen: Generated, s: Stocks, ids: list[str]
) -> tuple[Query, tuple[str, ...], str] | None:
    born, countries = _random_facts(rng)
    if kind == "business":
        company = _company(rng, s)
        if rng.random() < 0.5 and gen.companies:  # one word of a listed company kept
            listed = gen.companies[rng.choice(sorted(gen.companies))]
            keep = rng.choice(listed.words)
            company = replace(company, words=(keep, *[w for w in company.words if w.group != keep.group][:1]))
        name = _company_name(company).title() if rng.random() < 0.5 else _company_name(company)
        return Query.business(name, countries=countries), company.groups(), "company"
    if kind == "weak_aka_only":
        sid = rng.choice(sorted(gen.weak))
        words = gen.weak[sid].split()
        if len(words) == 2:
            return (
                Query.individual(words[0], words[1], birth_date=born, countries=countries),
                (),
                f"weak a.k.a. of {sid}",
            )
        return None  # a one-word nickname is no customer's full name
    if kind == "one_token":
        listed = rng.choice(gen.people[rng.choice(ids)])
        keep = rng.choice([p for p in listed.parts if p.role in ("first", "last")])
        fresh = _person(rng, s, listed.culture, middle=rng.random() < 0.3)
        person = Person(listed.culture, _swap_part(fresh, keep), fresh.female)
        note = f"shares {keep.item.latin[0]!r} with a listed name"
    else:
        person = _person(rng, s, rng.choice([c for c, _ in CULTURE_SHARES]))
        note = "random"
    first, middle, last = _query_person(person, lambda i: rng.choice(i.latin))
    return Query.individual(first, last, middle, birth_date=born, countries=countries), person.groups(), note


def _swap_part(person: Person, keep: Part) -> tuple[Part, ...]:
    """``person`` with its part in ``keep``'s role replaced by ``keep`` (the first such part)."""
    out: list[Part] = []
    done = False
    for part in person.parts:
        if not done and part.role == keep.role:
            out.append(keep)
            done = True
        else:
            out.append(part)
    return tuple(out)


def generate(seed: int = SEED, size: int = 1500) -> tuple[list[ListEntry], list[LabelledQuery]]:
    rng = random.Random(seed)
    s = stocks()
    gen = generate_list(rng, s, size)
    gen.entries.extend(_real_entries())
    queries = _variants(rng, gen, s) + _non_matches(rng, gen, s)
    return gen.entries, queries


# ---------------------------------------------------------------------------------------------------
# Files

QUERY_FIELDS = ("id", "label", "kind", "expected", "query_kind", "first", "middle", "last", "legal_name",
                "birth_date", "countries", "note")  # fmt: skip


def _entry_json(entry: ListEntry) -> dict[str, Any]:
    return {
        "source": str(entry.source),
        "source_id": entry.source_id,
        "party_type": str(entry.party_type),
        "names": [
            {
                k: v
                for k, v in (
                    ("full", n.full),
                    ("kind", str(n.kind)),
                    ("first", n.first),
                    ("middle", n.middle),
                    ("last", n.last),
                )
                if v
            }
            for n in entry.names
        ],
        "birth_dates": [[b.year, b.month, b.day, b.year_to] for b in entry.birth_dates],
        "nationalities": list(entry.nationalities),
        "citizenships": list(entry.citizenships),
        "address_countries": list(entry.address_countries),
    }


def _entry_from_json(data: dict[str, Any]) -> ListEntry:
    return ListEntry(
        source=Source(data["source"]),
        source_id=data["source_id"],
        party_type=PartyType(data["party_type"]),
        names=tuple(
            ListedName(n["full"], NameKind(n["kind"]), n.get("first"), n.get("middle"), n.get("last"))
            for n in data["names"]
        ),
        birth_dates=tuple(BirthDate(y, m, d, t) for y, m, d, t in data["birth_dates"]),
        nationalities=tuple(data["nationalities"]),
        citizenships=tuple(data["citizenships"]),
        address_countries=tuple(data["address_countries"]),
    )


def write(directory: Path = LABELLED, seed: int = SEED) -> None:
    entries, queries = generate(seed)
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "list.json").open("w", encoding="utf-8") as f:
        f.write("[\n")
        f.write(",\n".join(json.dumps(_entry_json(e), ensure_ascii=False) for e in entries))
        f.write("\n]\n")
    with (directory / "queries.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(QUERY_FIELDS)
        for q in queries:
            writer.writerow(_query_row(q))


def _query_row(q: LabelledQuery) -> tuple[str, ...]:
    born = q.query.birth_date.isoformat() if q.query.birth_date else ""
    countries = " ".join(sorted(q.query.countries))
    query = q.query
    return (q.id, q.label, q.kind, q.expected, str(query.kind), query.first, query.middle, query.last,
            query.legal_name, born, countries, q.note)  # fmt: skip


def load(directory: Path = LABELLED) -> tuple[list[ListEntry], list[LabelledQuery]]:
    with (directory / "list.json").open(encoding="utf-8") as f:
        entries = [_entry_from_json(e) for e in json.load(f)]
    queries = []
    with (directory / "queries.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            query = Query(
                QueryKind(row["query_kind"]),
                first=row["first"],
                middle=row["middle"],
                last=row["last"],
                legal_name=row["legal_name"],
                birth_date=date.fromisoformat(row["birth_date"]) if row["birth_date"] else None,
                countries=frozenset(row["countries"].split()),
            )
            queries.append(
                LabelledQuery(row["id"], row["label"], row["kind"], row["expected"], query, row["note"])
            )
    return entries, queries


# ---------------------------------------------------------------------------------------------------
# Measuring


@dataclass
class Quality:
    threshold: float
    matches: int = 0
    found: int = 0
    nones: int = 0
    false_hits: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [total, right]
    missed: list[LabelledQuery] = field(default_factory=list)
    wrong: list[tuple[LabelledQuery, Hit]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.matches if self.matches else 1.0

    @property
    def false_hit_rate(self) -> float:
        return self.false_hits / self.nones if self.nones else 0.0


def names_only(query: Query) -> Query:
    return replace(query, birth_date=None, countries=frozenset())


def evaluate(index: Index, queries: Iterable[LabelledQuery], threshold: float = DEFAULT_THRESHOLD,
             *, without_facts: bool = False) -> Quality:  # fmt: skip
    """Recall (the expected entry among the hits) over the matches; false-hit rate (any hit) over the
    rest. ``without_facts``: dates of birth and countries left out, names alone."""
    quality = Quality(threshold)
    for labelled in queries:
        query = names_only(labelled.query) if without_facts else labelled.query
        hits = index.screen(query, threshold)
        tally = quality.by_kind.setdefault(f"{labelled.label}:{labelled.kind}", [0, 0])
        tally[0] += 1
        if labelled.label == "match":
            quality.matches += 1
            if any(h.source_id == labelled.expected for h in hits):
                quality.found += 1
                tally[1] += 1
            else:
                quality.missed.append(labelled)
        else:
            quality.nones += 1
            if hits:
                quality.false_hits += 1
                quality.wrong.append((labelled, hits[0]))
            else:
                tally[1] += 1
    return quality


# ---------------------------------------------------------------------------------------------------
# The bench's synthetic lists and customers: SDN-sized, with made-up words for the long tail of names
# that a real list has (the stocks alone would give far fewer distinct tokens than the SDN's).

_SYLLABLES = (
    "ka ro ne ta li mo sa vi de ru ga zo pe ni la to mi ba do fe su ha ko ri na se lo ma ve di tu ja bo",
    "yu re no ki go al an ar el en er ol or ur in on",
)
_SYLLABLE_LIST = " ".join(_SYLLABLES).split()


def _pseudo_word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLE_LIST) for _ in range(rng.randint(2, 4))).capitalize()


def _pseudo_items(rng: random.Random, count: int, suffixes: Sequence[str] = ("",)) -> list[Item]:
    words = _unique(_pseudo_word(rng) + rng.choice(suffixes) for _ in range(count))
    return [Item(w.lower(), (w,)) for w in words]


def bench_stocks(rng: random.Random) -> Stocks:
    """The stocks, with thousands of made-up family names and company words added."""
    s = stocks()
    s.arabic_family = s.arabic_family + [
        Item("al-" + i.group, ("al-" + i.latin[0],)) for i in _pseudo_items(rng, 1500, ("i", "awi"))
    ]
    s.russian_surnames = s.russian_surnames + [
        Item(i.group, (i.latin[0],), "") for i in _pseudo_items(rng, 2000, ("ov", "ev", "in", "enko", "sky"))
    ]
    s.english_surnames = s.english_surnames + _pseudo_items(rng, 1500, ("son", "ton", "ley", "er", "well"))
    s.spanish_surnames = s.spanish_surnames + _pseudo_items(rng, 1000, ("ez", "ero", "ado", "illo"))
    s.company_words = s.company_words + _pseudo_items(rng, 6000)
    return s


def sdn_sized_list(size: int = 18_000, seed: int = SEED + 1) -> list[ListEntry]:
    """About the SDN's size: ``size`` entries, some 2.2 names each, a few vessels and aircraft."""
    rng = random.Random(seed)
    s = bench_stocks(rng)
    gen = generate_list(rng, s, size)
    entries = gen.entries
    for i in range(0, len(entries), 25):  # one in 25 a vessel or an aircraft
        e = entries[i]
        if e.party_type is PartyType.entity:
            vessel = f"{_pseudo_word(rng).upper()} {rng.randint(1, 9)}"
            entries[i] = replace(e, party_type=rng.choice((PartyType.vessel, PartyType.aircraft)),
                                 names=(ListedName(vessel, NameKind.primary),))  # fmt: skip
    return _padded_with_akas(rng, entries, s)


def _padded_with_akas(rng: random.Random, entries: list[ListEntry], s: Stocks) -> list[ListEntry]:
    """The SDN has ~2.2 names an entry; individuals get more a.k.a.s (other surnames) until then."""
    out = []
    for e in entries:
        if e.party_type is PartyType.individual and rng.random() < 0.45:
            given = e.names[0].full.partition(", ")[2] or e.names[0].full.split()[0]
            extra = [
                ListedName(f"{_pseudo_word(rng).upper()}, {given}", NameKind.aka)
                for _ in range(rng.randint(1, 2))
            ]
            e = replace(e, names=(*e.names, *extra))
        elif e.party_type is PartyType.entity and rng.random() < 0.5:
            e = replace(
                e,
                names=(
                    *e.names,
                    ListedName(
                        f"{_pseudo_word(rng).upper()} {rng.choice(s.company_generic).latin[0].upper()}",
                        NameKind.aka,
                    ),
                ),
            )
        out.append(e)
    return out


def customers(
    count: int, entries: Sequence[ListEntry], seed: int = SEED + 2, listed_share: float = 0.02
) -> Iterator[Query]:
    """Synthetic customers: mostly people drawn from the stocks (many sharing a token with a listed name),
    a few businesses, and ``listed_share`` of listed names as written on the list."""
    rng = random.Random(seed)
    s = bench_stocks(random.Random(seed))
    individuals = [e for e in entries if e.party_type is PartyType.individual]
    for _ in range(count):
        roll = rng.random()
        born, countries = _random_facts(rng)
        if roll < listed_share:
            e = rng.choice(individuals)
            last, _, given = e.names[0].full.partition(", ")
            yield Query.individual(given or e.names[0].full, last, birth_date=born, countries=countries)
        elif roll < 0.9:
            person = _person(rng, s, rng.choice([c for c, _ in CULTURE_SHARES]))
            first, middle, last = _query_person(person, lambda i: rng.choice(i.latin))
            yield Query.individual(first, last, middle, birth_date=born, countries=countries)
        else:
            yield Query.business(_company_name(_company(rng, s)).title(), countries=countries)


if __name__ == "__main__":
    if "--write" in sys.argv[1:]:
        write()
        entries, queries = load()
        print(f"wrote {len(entries)} entries, {len(queries)} queries to {LABELLED}")
    else:
        print(__doc__)
