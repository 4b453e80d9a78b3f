"""Is a country a subject of an article, or only named in passing? A weighted-mention rule.

An article is relevant to a country when the country (its government, people, forces, territory,
economy or national team) is one of the things the story is about: "Mongolia's defence minister
visits Ankara" is about Mongolia (and about Turkey as the host); a story on Kazakhstan's exercise
that lists Mongolia among the guests is not about Mongolia. Whether it matters for security is
decided later (events): a football story about Japan's national team is about Japan. A company's
results are about the company, not its home country; a club match is not about the country it is
played in.

The rule, for country X, in three steps:

1. Zones. The text is cut into the headline, the lead (the first sentence of the story, and of the
   summary when the summary is not the start of the body) and the rest of the story. Furniture
   that names places without being the story is dropped first: photo captions and credits ("...
   Kyiv, Ukraine, Aug 18, 2026. REUTERS/..."), reporter credits ("(Reporting by ... in
   Bengaluru)"), datelines ("NEW DELHI:", "SEOUL/WASHINGTON, Aug 21 (Reuters) -", "[東京 21日
   ロイター]"), share buttons and site headers, "READ MORE ON" tag lists, related-article links,
   newsletter footers, and the copy of the headline at the top of the body.

2. Mentions. The gazetteer finds country names, capitals ("Beijing said"), demonyms ("Ukrainian
   drones") and cities. This module adds what news text needs beyond it (the tables below):
   Japanese names and capitals; exonyms the gazetteer lacks ("Rússia", "EUA", "Irã", "Moscou");
   demonyms of es/pt/fr/de/it, which are lower-case adjectives ("frappe russe", "drones
   ucranianos"); institutions, leaders and currencies ("Kremlin", "Sejm", "Trump", "Kim Yo Jong",
   "rupee"); Japanese one-character abbreviations in context ("日米", "米中", "米政府"); and Japanese
   domestic institutions ("内閣府", "日銀"), because a Tokyo story on Japanese data never names
   Japan: one of them in the lead counts as a headline mention of Japan. Mentions that are not the
   country are dropped: events ("US Open", "Aberto dos EUA", "Paris 2024", "Dutch Grand Prix"),
   teams ("Washington Nationals"), "New England", "St. Petersburg, Fla.", "Iran International".

   Each mention weighs zone x kind x context:
   - zone: headline 3, lead 1.5, rest of the story 1 falling linearly to 1/3 at its end, dateline 0;
   - kind: country name and capital 1; demonym, institution (leader, currency) and Japanese home
     institution 0.8; city 0.3 (a city alone, e.g. a team's, says little about the country);
   - context: a company's nationality ("US firm Powerus", "British recruiter Hays") 0.3; a photo
     stamp ("Tokyo, Japan, June 16, 2026") 0.
   The salience S of X is the sum of its weights.

3. Score. With H = X named in the headline (not by a city alone, nor only as a company's
   nationality), L = X named in a lead, D = S / max(salience of the most salient country, 3) its
   dominance (3 = one headline mention, so that a lone passing mention is not "dominant"):

       evidence = 1.3 H + 0.7 L + 0.6 log2(1 + S) + 0.9 D - 2.6
       score    = 1 / (1 + exp(-2 evidence))

   and the article is relevant when score >= RELEVANCE_THRESHOLD = 0.5, i.e. evidence >= 0. A
   headline mention carries a story (1.3 + 0.6 log2(4) + 0.9 = 3.4 before the bias); a lead
   mention plus repeated mentions carries it when X leads the story; mentions in a story dominated
   by other countries do not, however many countries it lists.

The weights are round numbers set by reading, then checked against tests/data/relevance_labels.csv
(669 article/country pairs of the real week 2026-08-19, labelled by hand before the rule was
tuned; tests/test_relevance.py); a logistic fit of the same four features gives nearly the same
weights. Known limits: stories that never name their country (a regional outlet's "Flash floods
hit Podkarpacie villages"; only towns and regions, which the gazetteer does not hold) and company
stories named after the country ("India's Paras Defence sees exports doubling").

Deterministic: the score depends only on the three texts and the country. An article's profile
(the salience of every country it names) is computed once, when the article is built, and stored
in the `mentions` column of `articles`, so scoring it for any number of countries, in any process,
never rescans the text.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import ahocorasick
import polars as pl

from watchfloor.places.gazetteer import Gazetteer

RELEVANCE_THRESHOLD = 0.5

# Step 3 (module docstring).
HEADLINE_WEIGHT = 1.3
LEAD_WEIGHT = 0.7
SALIENCE_WEIGHT = 0.6
DOMINANCE_WEIGHT = 0.9
BIAS = -2.6
STEEPNESS = 2.0

# Step 2: zone and kind weights.
ZONE_HEADLINE, ZONE_LEAD, ZONE_BODY = 3.0, 1.5, 1.0
BODY_END_FACTOR = 1 / 3  # a mention at the very end of the story counts a third of one at its start
KIND_WEIGHTS = {"country": 1.0, "capital": 1.0, "demonym": 0.8, "institution": 0.8, "home": 0.8, "city": 0.3}
HEADLINE_KINDS = frozenset({"country", "capital", "demonym", "institution", "home"})  # a city alone is not the country
DOMINANCE_FLOOR = 3.0  # one headline mention: a lone passing mention is not "dominant"
COMPANY_NATIONALITY = 0.3

# --------------------------------------------------------------------------------------------------
# Names beyond the gazetteer. iso2 -> surfaces, by kind. Latin-script surfaces match whole words,
# case-sensitively; demonyms are listed in lower case and also match capitalised. Japanese surfaces
# match anywhere (no word boundaries), katakana ones not inside a longer katakana word.

_JA_COUNTRIES = {
    "JP": ("日本",), "US": ("米国", "アメリカ", "合衆国"), "CN": ("中国",), "RU": ("ロシア",),
    "UA": ("ウクライナ",), "IR": ("イラン",), "IL": ("イスラエル",), "KR": ("韓国",), "KP": ("北朝鮮",),
    "TW": ("台湾",), "GB": ("英国", "イギリス"), "IN": ("インド",), "DE": ("ドイツ",), "FR": ("フランス",),
    "IT": ("イタリア",), "CA": ("カナダ",), "AU": ("オーストラリア", "豪州"), "BR": ("ブラジル",),
    "MX": ("メキシコ",), "TR": ("トルコ",), "SA": ("サウジアラビア", "サウジ"), "AE": ("アラブ首長国連邦", "ＵＡＥ"),
    "EG": ("エジプト",), "PK": ("パキスタン",), "ID": ("インドネシア",), "PH": ("フィリピン",),
    "VN": ("ベトナム",), "TH": ("タイ",), "SG": ("シンガポール",), "MY": ("マレーシア",), "MN": ("モンゴル",),
    "KZ": ("カザフスタン",), "KG": ("キルギス",), "UZ": ("ウズベキスタン",), "SY": ("シリア",), "IQ": ("イラク",),
    "LB": ("レバノン",), "QA": ("カタール",), "KW": ("クウェート",), "OM": ("オマーン",), "JO": ("ヨルダン",),
    "CH": ("スイス",), "NL": ("オランダ",), "BE": ("ベルギー",), "ES": ("スペイン",), "PL": ("ポーランド",),
    "SE": ("スウェーデン",), "NO": ("ノルウェー",), "FI": ("フィンランド",), "DK": ("デンマーク",),
    "HU": ("ハンガリー",), "RS": ("セルビア",), "GR": ("ギリシャ",), "NZ": ("ニュージーランド",),
    "ZA": ("南アフリカ",), "NG": ("ナイジェリア",), "AR": ("アルゼンチン",), "CL": ("チリ",), "PE": ("ペルー",),
    "CO": ("コロンビア",), "VE": ("ベネズエラ",), "CU": ("キューバ",), "MM": ("ミャンマー",),
    "BD": ("バングラデシュ",), "AF": ("アフガニスタン",), "GT": ("グアテマラ",), "IS": ("アイスランド",),
    "PS": ("パレスチナ", "ガザ"), "AM": ("アルメニア",), "AZ": ("アゼルバイジャン",), "HK": ("香港",),
}  # fmt: skip
_JA_CAPITALS = {
    "JP": ("東京",), "US": ("ワシントン",), "CN": ("北京",), "RU": ("モスクワ",), "UA": ("キーウ", "キエフ"),
    "IR": ("テヘラン",), "IL": ("エルサレム",), "KR": ("ソウル",), "KP": ("平壌",), "TW": ("台北",),
    "GB": ("ロンドン",), "IN": ("ニューデリー",), "DE": ("ベルリン",), "FR": ("パリ",), "MN": ("ウランバートル",),
}  # fmt: skip
# Institutions that make a Japanese-language story about Japan without naming it. Not counted
# after a foreign prefix ("米財務省" is the US Treasury, "韓国国防省" Seoul's ministry).
_JA_JAPANESE_INSTITUTIONS = (
    "日銀", "日本銀行", "日経平均", "日経", "東証", "東京株式市場", "首都圏", "内閣府", "総務省", "財務省",
    "経済産業省", "経産省", "厚生労働省", "厚労省", "国土交通省", "防衛省", "外務省", "文部科学省",
    "農林水産省", "金融庁", "首相官邸", "官房長官", "自民党", "立憲民主党", "衆院", "参院", "自衛隊",
    "高市首相", "高市早苗",
)  # fmt: skip
# One-character abbreviations ("日米", "米中", "米政府", "露軍"); see _japanese_abbreviations.
_JA_ABBREVIATIONS = {
    "日": "JP", "米": "US", "中": "CN", "露": "RU", "英": "GB", "独": "DE", "仏": "FR", "韓": "KR",
    "朝": "KP", "印": "IN", "豪": "AU", "伊": "IT", "加": "CA", "台": "TW", "欧": None,
}  # fmt: skip
_JA_NOT_PAIRS = frozenset({"日中", "中日", "朝日", "台中", "中米", "日欧米"})  # daytime, Asahi, Taichung, Central America
_JA_STATE_SUFFIXES = (
    "政府", "大統領", "首相", "国務長官", "国務省", "財務長官", "財務省", "国防長官", "国防総省", "国防相",
    "外相", "外務省", "商務省", "司法省", "通商代表", "軍", "当局", "国債", "株", "経済", "連邦", "議会",
    "上院", "下院", "海軍", "陸軍", "空軍", "政権", "大使", "特使", "高官", "国民", "紙", "側", "国内",
    "中央銀行", "中銀", "金利", "雇用", "物価", "関税", "制裁", "与党", "野党", "首脳",
)  # fmt: skip
_JA_DAY_PREFIXES = frozenset("0123456789０１２３４５６７８９毎本今昨明翌前同当土月火水木金祝休平終半初末連期某先後数元曜")

# Exonyms and capitals the gazetteer lacks (Portuguese above all), and metonyms.
_LATIN_COUNTRIES = {
    "RU": ("Rússia",), "UA": ("Ucrânia",), "IR": ("Irã", "Irão"), "US": ("EUA", "EEUU", "EE.UU.", "EE. UU."),
    "JP": ("Japão",), "KR": ("Coreia do Sul", "Coréia do Sul"), "KP": ("Coreia do Norte", "Coréia do Norte"),
    "DE": ("Alemanha",), "IN": ("Índia",), "FR": ("França",),
    "GB": ("Großbritannien", "Grã-Bretanha", "Inglaterra"), "SA": ("Arábia Saudita",),
    "AE": ("Emirados Árabes Unidos",), "SY": ("Síria",), "IQ": ("Iraque",), "LB": ("Líbano",),
    "EG": ("Egito",), "QA": ("Catar",), "PK": ("Paquistão",), "AF": ("Afeganistão",), "PL": ("Polônia",),
    "CH": ("Suíça",), "SE": ("Suécia",), "FI": ("Finlândia",), "DK": ("Dinamarca",), "BE": ("Bélgica",),
    "ES": ("Espanha",), "IT": ("Itália",), "GR": ("Grécia",), "CA": ("Canadá",), "AU": ("Austrália",),
    "NZ": ("Nova Zelândia",), "ZA": ("África do Sul",), "KE": ("Quênia",), "ET": ("Etiópia",),
    "CO": ("Colômbia",), "MN": ("Mongólia",), "KZ": ("Cazaquistão",), "VN": ("Vietnã",),
    "TH": ("Tailândia",), "ID": ("Indonésia",), "MY": ("Malásia",), "SG": ("Cingapura",),
    "TR": ("Turquía",),
}  # fmt: skip
_LATIN_CAPITALS = {
    "RU": ("Moscou", "Moscú", "Mosca", "Moskau"), "CN": ("Pequim", "Pekín", "Pékin", "Pechino"),
    "KR": ("Seúl", "Séoul", "Seul"), "IR": ("Teerã", "Teherán", "Téhéran", "Teheran"),
    "GB": ("Londres", "Londra"), "JP": ("Tóquio", "Tokio"), "IL": ("Jerusalém", "Jerusalén", "Gerusalemme"),
    "IN": ("Nova Délhi", "Nueva Delhi"), "DE": ("Berlim", "Berlín"), "KP": ("Pionyang",), "TW": ("Taipé",),
    "UA": ("Kyjiw",), "MN": ("Ulán Bator", "Oulan-Bator"),
}  # fmt: skip
_METONYMS = {
    "US": ("White House", "Casa Blanca", "Casa Branca", "Maison Blanche", "Weißen Haus", "Weiße Haus",
           "Casa Bianca", "Pentagon", "Pentágono", "Pentagone", "State Department", "Wall Street",
           "Federal Reserve", "Fed", "FBI", "CIA", "NASA", "Capitol Hill", "Washington, D.C.", "D.C.",
           "ホワイトハウス", "米連邦準備理事会"),
    "RU": ("Kremlin", "Kreml", "Duma", "FSB", "GRU", "rouble", "roubles", "ruble", "rubles"),
    "GB": ("Downing Street", "Whitehall", "MI5", "MI6", "sterling"), "FR": ("Élysée", "Elysée", "Quai d'Orsay"),
    "CN": ("Zhongnanhai", "People's Liberation Army", "PLA", "PBOC", "yuan", "renminbi"),
    "IL": ("Knesset", "Mossad", "IDF", "Shin Bet", "shekel", "shekels"),
    "DE": ("Bundesregierung", "Bundestag", "Bundeswehr", "Bundesbank"), "UA": ("Verkhovna Rada", "SBU", "hryvnia"),
    "IR": ("Revolutionary Guards", "IRGC", "rial", "rials"), "KP": ("KCNA",), "JP": ("BOJ", "Nikkei", "yen"),
    "IN": ("Lok Sabha", "Rajya Sabha", "RBI", "rupee", "rupees"), "PL": ("Sejm", "ABW", "zloty", "złoty"),
    "MN": ("State Great Khural", "Great Khural", "tugrik", "tögrög", "togrog"),
    "KZ": ("Mazhilis", "Majilis", "Akorda", "KNB", "tenge"), "TR": ("lira",), "CA": ("loonie",),
    "PK": ("Pakistani rupee", "Pakistan rupee"), "LK": ("Sri Lankan rupee",), "NP": ("Nepali rupee",),
    "OM": ("Omani rial",), "YE": ("Yemeni rial",),
}  # fmt: skip
# Heads of state and government and their foreign ministers, as of August 2026: "Trump warns ...",
# "Kim's sister mocks ...". Update when governments change; a missing name only costs recall.
_LEADERS = {
    "US": ("Trump", "Rubio", "Bessent", "Hegseth", "トランプ", "ルビオ", "ベッセント"),
    "RU": ("Putin", "Lavrov", "Peskov", "プーチン", "ラブロフ"),
    "UA": ("Zelenskiy", "Zelensky", "Zelenskyy", "Zelenski", "Selenskyj", "Zelensky", "Sybiha", "ゼレンスキー"),
    "CN": ("Xi Jinping", "Li Qiang", "Wang Yi", "習近平", "王毅"),
    "IL": ("Netanyahu", "Netanjahu", "Netanyahou", "ネタニヤフ"),
    "IR": ("Khamenei", "Pezeshkian", "Araghchi", "Araqchi", "Araghtschi", "Qalibaf", "ペゼシュキアン"),
    "KP": ("Kim Jong Un", "Kim Jong-un", "Kim Jong-Un", "Kim Yo Jong", "Kim Yo-jong", "金正恩", "金与正"),
    "KR": ("Lee Jae Myung", "Lee Jae-myung", "Cho Hyun", "李在明"),
    "JP": ("Takaichi", "Motegi", "高市", "茂木"), "IN": ("Narendra Modi", "Modi", "Jaishankar", "モディ"),
    "GB": ("Andy Burnham", "Prime Minister Burnham", "Yvette Cooper"), "FR": ("Macron", "Barrot", "マクロン"),
    "DE": ("Friedrich Merz", "Merz", "Wadephul", "メルツ"), "TR": ("Erdogan", "Erdoğan", "エルドアン"),
    "TW": ("Lai Ching-te",), "MN": ("Khurelsukh", "Uchral"),
}  # fmt: skip
# Demonyms of es/pt/fr/de/it (stems are expanded below). Lower case: they are adjectives there.
_LATIN_DEMONYMS = {
    "RU": ("ruso", "rusa", "rusos", "rusas", "russo", "russa", "russos", "russas", "russi", "russe", "russes",
           "russisch", "russische", "russischen", "russischer", "russisches", "russischem"),
    "UA": ("ucraniano", "ucraniana", "ucranianos", "ucranianas", "ukrainien", "ukrainienne", "ukrainiens",
           "ukrainiennes", "ukrainisch", "ukrainische", "ukrainischen", "ukrainischer", "ukrainisches",
           "ucraino", "ucraini"),
    "CN": ("chino", "chinos", "chinas", "chinês", "chinesa", "chineses", "chinesas", "chinois", "chinoise",
           "chinoises", "chinesisch", "chinesische", "chinesischen", "chinesischer", "chinesisches", "cinese",
           "cinesi"),
    "US": ("estadounidense", "estadounidenses", "norteamericano", "norteamericana", "norteamericanos",
           "norte-americano", "norte-americana", "norte-americanos", "norte-americanas", "américain",
           "américaine", "américains", "américaines", "amerikanisch", "amerikanische", "amerikanischen",
           "amerikanischer", "statunitense", "statunitensi"),
    "IR": ("iraní", "iraníes", "iraniano", "iraniana", "iranianos", "iranianas", "iranien", "iranienne",
           "iraniens", "iraniennes", "iranisch", "iranische", "iranischen", "iranischer", "iraniani"),
    "IL": ("israelí", "israelíes", "israelense", "israelenses", "israélien", "israélienne", "israéliens",
           "israéliennes", "israelisch", "israelische", "israelischen", "israelischer", "israeliano",
           "israeliana", "israeliani"),
    "JP": ("japonés", "japonesa", "japoneses", "japonesas", "japonês", "japonais", "japonaise",
           "japonaises", "japanisch", "japanische", "japanischen", "japanischer", "giapponese", "giapponesi"),
    "KR": ("surcoreano", "surcoreana", "surcoreanos", "sul-coreano", "sul-coreana", "sul-coreanos",
           "sud-coréen", "sud-coréenne", "sud-coréens", "südkoreanisch", "südkoreanische",
           "südkoreanischen", "sudcoreano", "sudcoreana", "sudcoreani", "coreano", "coreana", "coreanos"),
    "KP": ("norcoreano", "norcoreana", "norcoreanos", "norte-coreano", "norte-coreana", "norte-coreanos",
           "nord-coréen", "nord-coréenne", "nord-coréens", "nordkoreanisch", "nordkoreanische",
           "nordkoreanischen", "nordcoreano", "nordcoreana", "nordcoreani"),
    "GB": ("británico", "británica", "británicos", "británicas", "britânico", "britânica", "britânicos",
           "britannique", "britanniques", "britisch", "britische", "britischen", "britischer", "britannico",
           "britannica", "britannici"),
    "IN": ("indiano", "indiana", "indianos", "indianas", "indien", "indienne", "indiens", "indisch",
           "indische", "indischen", "indiani"),
    "DE": ("alemán", "alemana", "alemanes", "alemão", "alemã", "alemães", "allemand", "allemande",
           "allemands", "allemandes", "deutsch", "deutsche", "deutschen", "deutscher", "deutsches",
           "tedesco", "tedesca", "tedeschi", "tedesche"),
    "FR": ("francés", "francesa", "franceses", "francês", "français", "française", "françaises",
           "französisch", "französische", "französischen", "francese", "francesi"),
    "TR": ("turco", "turca", "turcos", "turque", "turques", "türkisch", "türkische", "türkischen", "turchi"),
    "TW": ("taiwanés", "taiwanesa", "taiwaneses", "taiwanês", "taïwanais", "taïwanaise", "taiwanisch",
           "taiwanische", "taiwanese", "taiwanesi"),
    "PS": ("palestino", "palestina", "palestinos", "palestinas", "palestinien", "palestinienne",
           "palestiniens", "palästinensisch", "palästinensische", "palästinensischen", "palestinese",
           "palestinesi"),
    "SA": ("saudí", "saudíes", "saudita", "sauditas", "saoudien", "saoudienne", "saudisch", "saudische"),
    "PL": ("polaco", "polaca", "polonês", "polonais", "polonaise", "polnisch", "polnische", "polacco"),
    "MN": ("mongol", "mongola", "mongoles", "mongóis", "mongole", "mongols", "mongolisch", "mongolische",
           "mongolo"),
}  # fmt: skip
# Phrases that contain a name but are not the country; matching them swallows the name.
_BLOCKED = (
    "latino-americano", "latino-americana", "latino-americanos", "latino-americanas", "sul-americano",
    "sul-americana", "sul-americanos", "centro-americano", "océan Indien", "Nueva York",
    "Nova York", "Nouvelle-Calédonie", "New England", "Anglo American", "American League",
    "National League", "Iran International", "Bank of America", "Palestina Livre",
    "日本時間",  # Japan Standard Time, in every Japanese market report
)  # fmt: skip

# Gazetteer mentions that are not the country: tournaments ("US Open", "Aberto dos EUA"), teams
# ("Washington Nationals"), "St. Petersburg, Fla.". ("New England", "Iran International" and the
# like are blocked phrases of the supplement.)
_TOURNAMENT_AFTER = re.compile(r"\s+(?:Open|Olympics|Olympic Games|Games|Paralympics|Grand Prix|Masters)\b")
_YEAR_AFTER = re.compile(r"\s+(?:19|20)\d\d\b")  # "Paris 2024", "Los Angeles 2028": the Games
_TOURNAMENT_BEFORE = re.compile(r"\b(?:Aberto|Abierto|Open|Internazionali)\s+d(?:[aeo]s?\s+|')(?:l')?$")
_TEAM_AFTER = re.compile(r"\s+(?:Nationals|Wizards|Commanders|Capitals|Mystics|Spirit|Freedom)\b")
_FLORIDA_AFTER = re.compile(r",?\s+(?:Fla\b|Florida\b)")
# A company's nationality, not the country: "US firm Powerus", "British recruiter Hays",
# "Chinese flash-memory chipmaker YMTC". Singular nouns: "Chinese firms dominate" is national.
_COMPANY_AFTER = re.compile(
    r"(?:'s|’s)?\s+(?:[\w-]+\s+){0,2}?(?:firm|company|chipmaker|maker|recruiter|insurer|lender|carmaker"
    r"|automaker|brewer|retailer|airline|carrier|startup|start-up|conglomerate|miner|fintech|drugmaker"
    r"|manufacturer|supplier|developer|investor|brokerage|asset manager|e-commerce giant|tech giant"
    r"|utility|shipper|refiner)\b(?!s)"
)
# "... in Austin, Texas, U.S. August 13, 2026" / "Seoul, South Korea, April 23, 2024": a photo stamp.
_DATE_STAMP = re.compile(
    r"[\s,.-]{0,4}(?:-\s*)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},\s+\d{4}"
)

# --------------------------------------------------------------------------------------------------
# Text furniture (step 1).

_CAPTION_MARKERS = re.compile(
    r"REUTERS/|via REUTERS|via Reuters|Mandatory Credit|Imagn Images|\(Photo:|Photo: |FILE PHOTO"
    r"|File Photo|/File photo|\bAP Photo|AFP/|Getty Images|Representational image"
)
_HEADER_ENDS = ("FAST", "Analyzing article...", "Text Size: A- A+")  # CNA, Devdiscourse, ThePrint
_FOOTER_STARTS = re.compile(
    r"^(?:READ MORE ON:|ALSO READ|Further Reading|Recommended Read|Newsletter$|Disclaimer:|Subscribe to our"
    r"|Nine Years, Made Possible|Most Popular|POST / READ COMMENTS|Source: \w+$|Tags$|LEAVE A REPLY|Related:"
    r"|Read more:|Mehr zum Thema|Leia mais|Lea más|Lire aussi|Sign up for|Listen to the|Visit the Thomson)"
)
_FURNITURE_LINES = re.compile(r"^(?:Show Full Article|-->|Advertisement|Bookmark|Share|SHARE|Subscribe)$")
_CREDITS = re.compile(
    r"\((?:Reporting|Additional reporting|Writing|Editing|Compiled|Reportagem|Reportaje|Reporte|Reportage"
    r"|Redacción|Bericht|Por |With inputs|Avec |Mit Material|Texto)[^()]*(?:\([^()]*\)[^()]*)*\)"
    r"|--Field Level Media|Devdiscourse News Desk[^\n]*"
)
_CNA_GAMES = re.compile(r"CNA Games\n.*?Show Less\n", re.DOTALL)
_DATELINE = re.compile(
    r"\s*(?:By (?:[A-Z][\w.'’-]*,?\s+(?:and\s+)?){1,12})?(?:[A-Z][A-Z.'’/ -]{2,60}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
    r"(?:,\s*[A-Z][A-Za-z]+)?(?:,\s*[A-Z][a-z]{2,9}\.?\s*\d{1,2})?\s*(?:\((?:Reuters|AFP|AP)\))?\s*[:–—-]\s"
    r"|\s*(?:[^\n]{0,80}\n)?\s*[\[［][^\]］\n]{0,40}[\]］]\s*-?"
)
_SENTENCE_END = re.compile(r"[.!?](?=['\"”’)]?\s+[\"“‘(\[]?[A-ZÀ-Ý0-9])|。")
_ABBREVIATIONS = frozenset({"U.S", "U.K", "U.N", "Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Lt", "Col", "No", "vs",
                            "Jr", "Sr", "Inc", "Co", "Corp", "Ltd", "Jan", "Feb", "Aug", "Sept", "Oct",
                            "Nov", "Dec", "Gov", "Sen", "Rep", "Adm", "Sgt", "Capt", "Maj", "E.U", "S.A"})
_OUTLET_TAIL = re.compile(r"\s+[-–—|]\s+(?:[\w-]+\.)+(?:com|net|org|in|jp|co\.uk)\s*$|\s+[-–—]\s+Reuters\s*$")
LEAD_MAX = 400  # characters; a longer first "sentence" is cut here
CAPTION_MAX = 400  # a longer line with a photo credit is a paragraph: only its credited sentences go


@dataclass(frozen=True, slots=True)
class Zones:
    """The headline, and the story with its datelines and leads as (start, end) spans. A summary
    that is not the start of the body comes first, and its first sentence is a lead as well."""

    headline: str
    story: str
    datelines: tuple[tuple[int, int], ...]
    leads: tuple[tuple[int, int], ...]


def article_zones(title: str, summary: str, body: str) -> Zones:
    """Headline and story of an article, without the furniture listed in the module docstring."""
    headline = _OUTLET_TAIL.sub("", title or "").strip()
    summary, body = (summary or "").strip(), (body or "").strip()
    parts = [_clean_story(body, headline)]
    if summary and summary[:60] not in body:
        parts.insert(0, _clean_story(summary, headline))
    elif len(parts[0]) < len(summary) // 2:
        parts = [_clean_story(summary, headline)]
    story, datelines, leads = "", [], []
    for part in filter(None, parts):
        offset = len(story) + (1 if story else 0)
        story = f"{story}\n{part}" if story else part
        dateline = _DATELINE.match(part[:260])
        start = dateline.end() if dateline else 0
        datelines.append((offset, offset + start))
        leads.append((offset + start, offset + _lead_end(part, start)))
    return Zones(headline, story, tuple(datelines), tuple(leads))


def _clean_story(text: str, headline: str) -> str:
    lines = text.split("\n")
    for marker in _HEADER_ENDS:
        if marker in lines[:60]:
            lines = lines[lines.index(marker) + 1 :]
    kept = []
    for line in lines:
        line = line.strip()
        if _FOOTER_STARTS.match(line):
            break
        if not line or _FURNITURE_LINES.match(line):
            continue
        if _CAPTION_MARKERS.search(line):
            if len(line) < CAPTION_MAX:
                continue
            line = " ".join(s for s in re.split(r"(?<=[.!?])\s+", line) if not _CAPTION_MARKERS.search(s))
        kept.append(line)
    story = _CNA_GAMES.sub("", "\n".join(kept) + "\n")
    story = _CREDITS.sub("", story).strip()
    for copy in (headline, headline.rstrip(".")):
        if len(copy) >= 12 and story.startswith(copy):
            story = story[len(copy) :].lstrip(" .:-\n")
            break
    if _is_source_name(story):
        return ""
    return story


def _is_source_name(text: str) -> bool:
    """What a Google News item leaves of its body once the headline is gone: "reuters.com"."""
    return len(text) < 40 and not re.search(r"\s\w+\s\w+\s", text)


def _lead_end(story: str, start: int) -> int:
    for match in _SENTENCE_END.finditer(story, start + 30, start + LEAD_MAX + 1):
        if match.group() == "。":
            return match.end()
        word = re.search(r"[\w.]+$", story[start : match.start()])
        if word and (word.group() in _ABBREVIATIONS or len(word.group()) == 1):
            continue
        return match.end()
    return min(len(story), start + LEAD_MAX)


# --------------------------------------------------------------------------------------------------
# Mentions (step 2).


@dataclass(frozen=True, slots=True)
class Hit:
    iso2: str
    kind: str
    start: int
    end: int


# Capitalised, these demonyms are surnames or places elsewhere ("Russo", "Indiana").
_NOT_CAPITALISED = frozenset({"Russo", "Russa", "Russi", "Tedesco", "Tedesca", "Tedeschi", "Francese", "Turco",
                              "Turca", "Indiana", "Indianas", "Indiani", "Chino", "Mongol", "Mongole"})


def _variants(surface: str) -> Iterator[str]:
    yield surface
    capitalised = surface[:1].upper() + surface[1:]
    if surface[:1].islower() and capitalised not in _NOT_CAPITALISED:
        yield capitalised
    if len(surface) >= 4 and surface.upper() != surface:
        yield surface.upper()
    if "'" in surface:
        yield surface.replace("'", "’")


@functools.cache
def _supplement() -> ahocorasick.Automaton:
    entries: dict[str, tuple[str | None, str]] = {}
    tables = (
        (_JA_COUNTRIES, "country"), (_JA_CAPITALS, "capital"), (_LATIN_COUNTRIES, "country"),
        (_LATIN_CAPITALS, "capital"), (_METONYMS, "institution"), (_LEADERS, "institution"),
        (_LATIN_DEMONYMS, "demonym"),
    )  # fmt: skip
    for table, kind in tables:
        for iso2, surfaces in table.items():
            for surface in surfaces:
                for form in _variants(surface) if _is_latin(surface) else (surface,):
                    entries.setdefault(form, (iso2, kind))
    for surface in _JA_JAPANESE_INSTITUTIONS:
        entries[surface] = ("JP", "home")
    for surface in _BLOCKED:
        for form in _variants(surface) if _is_latin(surface) else (surface,):
            entries[form] = (None, "blocked")
    automaton = ahocorasick.Automaton()
    for surface, (iso2, kind) in entries.items():
        automaton.add_word(surface, (len(surface), iso2, kind, _is_latin(surface), _is_katakana(surface)))
    automaton.make_automaton()
    return automaton


_JAPANESE = re.compile("[\u3040-\U0010ffff]")  # kana, kanji and beyond


def _is_latin(text: str) -> bool:
    return all(ord(char) < 0x2E80 for char in text)


def _is_katakana(text: str) -> bool:
    return all("\u30a0" <= char <= "\u30ff" for char in text)


def _supplement_hits(text: str) -> list[Hit]:
    """Leftmost-longest matches of the supplement tables, with the boundary rules above."""
    candidates = []
    last = len(text) - 1
    for end, (length, iso2, kind, latin, katakana) in _supplement().iter(text):
        start = end - length + 1
        before, after = (text[start - 1] if start else " "), (text[end + 1] if end < last else " ")
        if latin and (before.isalnum() or after.isalnum()):
            continue
        if katakana and (_is_katakana(before) or _is_katakana(after)):
            continue
        if kind == "home" and (before in _JA_ABBREVIATIONS or before in "国州" or _is_katakana(before)):
            continue  # "米財務省", "中国商務省"
        candidates.append((start, -length, iso2, kind))
    hits, covered = [], 0
    for start, negative_length, iso2, kind in sorted(candidates):
        if start < covered:
            continue
        covered = start - negative_length
        if iso2 is not None:
            hits.append(Hit(iso2, kind, start, covered))
    return hits


def _japanese_abbreviations(text: str, named: list[Hit]) -> list[Hit]:
    """"日米", "米中", "米欧日" (runs of abbreviations), "米イラン" (next to a name) and "米政府"
    (before a state word). Not "日中" (daytime), "朝日" (Asahi) or a date's "日" ("19日米国")."""
    hits = []
    name_edges = {hit.start for hit in named} | {hit.end for hit in named}
    for match in re.finditer("[日米中露英独仏韓朝印豪伊加台欧]+", text):
        run, start = match.group(), match.start()
        for offset, char in enumerate(run):
            iso2 = _JA_ABBREVIATIONS[char]
            position = start + offset
            if iso2 is None:
                continue
            if char == "日" and position and text[position - 1] in _JA_DAY_PREFIXES:
                continue
            pair = run[max(0, offset - 1) : offset + 2]
            in_run = len(run) >= 2 and not any(bad in run for bad in _JA_NOT_PAIRS) and pair not in _JA_NOT_PAIRS
            next_to_name = position in name_edges or position + 1 in name_edges
            before_state = char not in "日中" and text.startswith(_JA_STATE_SUFFIXES, position + 1)
            if in_run or (next_to_name and char not in "日中") or before_state:
                hits.append(Hit(iso2, "demonym", position, position + 1))
    return hits


def _hits(text: str, gazetteer: Gazetteer) -> list[Hit]:
    """All country mentions in a text: gazetteer, supplement, Japanese abbreviations; minus the
    gazetteer's false friends (module docstring)."""
    supplement = _supplement_hits(text)
    blocked = [(hit.start, hit.end) for hit in supplement]  # supplement phrases win where they overlap
    hits = []
    for mention in gazetteer.mentions(text):
        end = mention.start + len(mention.surface)
        if not any(start < end and mention.start < stop for start, stop in blocked):
            hits.append(Hit(mention.iso2, mention.kind, mention.start, end))
    taken = [(hit.start, hit.end) for hit in hits]
    hits += [h for h in supplement if not any(s < h.end and h.start < e for s, e in taken)]
    if _JAPANESE.search(text, 0, 400):  # Japanese text
        hits += _japanese_abbreviations(text, hits)
    return [hit for hit in hits if not _not_the_country(text, hit)]


def _not_the_country(text: str, hit: Hit) -> bool:
    surface = text[hit.start : hit.end]
    if _TOURNAMENT_AFTER.match(text, hit.end) or _TOURNAMENT_BEFORE.search(text[max(0, hit.start - 30) : hit.start]):
        return True
    if hit.kind in ("capital", "city") and _YEAR_AFTER.match(text, hit.end):
        return True
    if surface == "Washington" and _TEAM_AFTER.match(text, hit.end):
        return True
    return surface.startswith("St") and bool(_FLORIDA_AFTER.match(text, hit.end))


# --------------------------------------------------------------------------------------------------
# Profiles and scores (step 3).


@dataclass(slots=True)
class CountryEvidence:
    salience: float = 0.0
    headline: bool = False  # named in the headline, not only as a company's nationality
    lead: bool = False
    mentions: int = 0


@dataclass(slots=True)
class ArticleProfile:
    """Per-country evidence of one article; computed once, scored for any country."""

    countries: dict[str, CountryEvidence] = field(default_factory=dict)
    top_salience: float = 0.0

    def evidence(self, iso2: str) -> CountryEvidence:
        return self.countries.get(iso2) or CountryEvidence()


def article_profile(title: str, summary: str, body: str, gazetteer: Gazetteer) -> ArticleProfile:
    """The weighted mentions of every country in an article (steps 1 and 2)."""
    zones = article_zones(title, summary, body)
    profile = ArticleProfile()
    for hit in _hits(zones.headline, gazetteer):
        weight = ZONE_HEADLINE * KIND_WEIGHTS[hit.kind] * _context(zones.headline, hit)
        _add(profile, hit.iso2, weight, headline=hit.kind in HEADLINE_KINDS and weight >= ZONE_HEADLINE * 0.5)
    story = zones.story
    body_start = zones.leads[-1][1] if zones.leads else 0
    body_length = max(1, len(story) - body_start)
    for hit in _hits(story, gazetteer):
        if any(start <= hit.start < end for start, end in zones.datelines):
            continue
        if any(start <= hit.start < end for start, end in zones.leads):
            zone, lead = ZONE_LEAD, True
            if hit.kind == "home":  # "内閣府が発表した...": a Japanese domestic story names no country
                _add(profile, hit.iso2, 0.0, headline=True)
        else:
            position = max(0, hit.start - body_start) / body_length
            zone, lead = ZONE_BODY * (1 - (1 - BODY_END_FACTOR) * position), False
        _add(profile, hit.iso2, zone * KIND_WEIGHTS[hit.kind] * _context(story, hit), lead=lead)
    profile.top_salience = max((e.salience for e in profile.countries.values()), default=0.0)
    return profile


def _context(text: str, hit: Hit) -> float:
    if _DATE_STAMP.match(text, hit.end):
        return 0.0
    if hit.kind in ("country", "demonym") and _COMPANY_AFTER.match(text, hit.end):
        return COMPANY_NATIONALITY
    return 1.0


def _add(profile: ArticleProfile, iso2: str, weight: float, headline: bool = False, lead: bool = False) -> None:
    evidence = profile.countries.setdefault(iso2, CountryEvidence())
    evidence.salience += weight
    evidence.headline |= headline
    evidence.lead |= lead and weight > 0
    evidence.mentions += weight > 0


def profile_score(profile: ArticleProfile, iso2: str) -> float:
    """Step 3 of the module docstring."""
    evidence = profile.evidence(iso2)
    if evidence.salience <= 0:
        return 0.0
    dominance = evidence.salience / max(profile.top_salience, DOMINANCE_FLOOR)
    value = (
        HEADLINE_WEIGHT * evidence.headline
        + LEAD_WEIGHT * evidence.lead
        + SALIENCE_WEIGHT * math.log2(1 + evidence.salience)
        + DOMINANCE_WEIGHT * dominance
        + BIAS
    )
    return 1 / (1 + math.exp(-STEEPNESS * value))


def relevance_score(title: str, summary: str, body: str, iso2: str, gazetteer: Gazetteer) -> float:
    """How much the article is about the country, 0..1; relevant from RELEVANCE_THRESHOLD."""
    return profile_score(article_profile(title or "", summary or "", body or "", gazetteer), iso2.upper())


def article_mentions(title: str, summary: str, body: str, gazetteer: Gazetteer) -> list[dict]:
    """The profile as the `mentions` column of `articles` (computed once per article, scored per country)."""
    profile = article_profile(title or "", summary or "", body or "", gazetteer)
    return [
        {"country": iso2, "salience": e.salience, "headline": e.headline, "lead": e.lead}
        for iso2, e in sorted(profile.countries.items())
    ]


def _profile_of(mentions: list[dict]) -> ArticleProfile:
    profile = ArticleProfile({m["country"]: CountryEvidence(m["salience"], m["headline"], m["lead"]) for m in mentions})
    profile.top_salience = max((m["salience"] for m in mentions), default=0.0)
    return profile


def relevant_articles(articles: pl.DataFrame, iso2: str, gazetteer: Gazetteer) -> pl.DataFrame:
    """The articles relevant to a country, with their `relevance` score (Float64), sorted by
    published_at then article_id. Scored from the stored `mentions`; rows without them (written
    by an older version, or a frame built by hand) are profiled from their text."""
    iso2 = iso2.upper()
    if "mentions" in articles.columns:
        named = pl.col("mentions").list.eval(pl.element().struct.field("country") == iso2).list.any()
        candidates = articles.filter(named.fill_null(True))  # only an article naming the country can be about it
        stored = candidates["mentions"].to_list()
    else:
        candidates, stored = articles, [None] * articles.height
    scores = [
        profile_score(_profile_of(mentions) if mentions is not None else article_profile(t or "", s or "", b or "", gazetteer), iso2)
        for mentions, (t, s, b) in zip(stored, candidates.select("title", "summary", "body").iter_rows(), strict=True)
    ]
    scored = candidates.with_columns(relevance=pl.Series("relevance", scores, dtype=pl.Float64))
    return scored.filter(pl.col("relevance") >= RELEVANCE_THRESHOLD).sort("published_at", "article_id")
