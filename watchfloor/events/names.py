"""The names relevance looks for beyond the gazetteer, and the phrases that say a name is not the
country (watchfloor.events.relevance, step 2 of its rule).

Tables of iso2 -> surfaces, by kind: Japanese names, capitals and home institutions; Latin-script
exonyms, capitals and demonyms of es/pt/fr/de/it; institutions and office-holders (read from
config/actors.yaml); phrases that contain a name but are not the country. Data only: how they are
matched is relevance's business.
"""

from __future__ import annotations

import re

import yaml

from watchfloor.core.config import REPO_ROOT

# Names beyond the gazetteer. iso2 -> surfaces, by kind. Latin-script surfaces match whole words,
# case-sensitively; demonyms are listed in lower case and also match capitalised. Japanese surfaces
# match anywhere (no word boundaries), katakana ones not inside a longer katakana word.

JA_COUNTRIES = {
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
JA_CAPITALS = {
    "JP": ("東京",), "US": ("ワシントン",), "CN": ("北京",), "RU": ("モスクワ",), "UA": ("キーウ", "キエフ"),
    "IR": ("テヘラン",), "IL": ("エルサレム",), "KR": ("ソウル",), "KP": ("平壌",), "TW": ("台北",),
    "GB": ("ロンドン",), "IN": ("ニューデリー",), "DE": ("ベルリン",), "FR": ("パリ",), "MN": ("ウランバートル",),
}  # fmt: skip
# Institutions that make a Japanese-language story about Japan without naming it. Not counted
# after a foreign prefix ("米財務省" is the US Treasury, "韓国国防省" Seoul's ministry).
JA_HOME_INSTITUTIONS = (
    "日銀", "日本銀行", "日経平均", "日経", "東証", "東京株式市場", "首都圏", "内閣府", "総務省", "財務省",
    "経済産業省", "経産省", "厚生労働省", "厚労省", "国土交通省", "防衛省", "外務省", "文部科学省",
    "農林水産省", "金融庁", "首相官邸", "官房長官", "自民党", "立憲民主党", "衆院", "参院", "自衛隊",
    "高市首相", "高市早苗",
)  # fmt: skip
# One-character abbreviations ("日米", "米中", "米政府", "露軍"); see relevance._japanese_abbreviations.
JA_ABBREVIATIONS = {
    "日": "JP", "米": "US", "中": "CN", "露": "RU", "英": "GB", "独": "DE", "仏": "FR", "韓": "KR",
    "朝": "KP", "印": "IN", "豪": "AU", "伊": "IT", "加": "CA", "台": "TW", "欧": None,
}  # fmt: skip
JA_NOT_PAIRS = frozenset({"日中", "中日", "朝日", "台中", "中米", "日欧米"})  # daytime, Asahi, Taichung, Central America
JA_STATE_SUFFIXES = (
    "政府", "大統領", "首相", "国務長官", "国務省", "財務長官", "財務省", "国防長官", "国防総省", "国防相",
    "外相", "外務省", "商務省", "司法省", "通商代表", "軍", "当局", "国債", "株", "経済", "連邦", "議会",
    "上院", "下院", "海軍", "陸軍", "空軍", "政権", "大使", "特使", "高官", "国民", "紙", "側", "国内",
    "中央銀行", "中銀", "金利", "雇用", "物価", "関税", "制裁", "与党", "野党", "首脳",
)  # fmt: skip
JA_DAY_PREFIXES = frozenset("0123456789０１２３４５６７８９毎本今昨明翌前同当土月火水木金祝休平終半初末連期某先後数元曜")

# Exonyms and capitals the gazetteer lacks (Portuguese above all), and metonyms.
LATIN_COUNTRIES = {
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
LATIN_CAPITALS = {
    "RU": ("Moscou", "Moscú", "Mosca", "Moskau"), "CN": ("Pequim", "Pekín", "Pékin", "Pechino"),
    "KR": ("Seúl", "Séoul", "Seul"), "IR": ("Teerã", "Teherán", "Téhéran", "Teheran"),
    "GB": ("Londres", "Londra"), "JP": ("Tóquio", "Tokio"), "IL": ("Jerusalém", "Jerusalén", "Gerusalemme"),
    "IN": ("Nova Délhi", "Nueva Delhi"), "DE": ("Berlim", "Berlín"), "KP": ("Pionyang",), "TW": ("Taipé",),
    "UA": ("Kyjiw",), "MN": ("Ulán Bator", "Oulan-Bator"),
}  # fmt: skip
# Institutions, forces and currencies ("Kremlin", "IRGC", "tugrik"), and office-holders ("Trump warns
# ...", "Kim's sister mocks ..."): maintained as data in config/actors.yaml.
_ACTORS = yaml.safe_load((REPO_ROOT / "config" / "actors.yaml").read_text(encoding="utf-8"))
METONYMS = {iso2: tuple(surfaces) for iso2, surfaces in _ACTORS["institutions"].items()}
LEADERS = {iso2: tuple(surfaces) for iso2, surfaces in _ACTORS["office_holders"].items()}
BODIES: dict[str, dict] = _ACTORS["bodies"]  # supranational bodies: watchfloor.events.partners
# Demonyms of es/pt/fr/de/it. Lower case: they are adjectives there (also matched capitalised,
# except NOT_CAPITALISED).
LATIN_DEMONYMS = {
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
BLOCKED = (
    "latino-americano", "latino-americana", "latino-americanos", "latino-americanas", "sul-americano",
    "sul-americana", "sul-americanos", "centro-americano", "océan Indien", "Nueva York",
    "Nova York", "Nouvelle-Calédonie", "New England", "Anglo American", "American League",
    "National League", "Iran International", "Bank of America", "Palestina Livre",
    "日本時間",  # Japan Standard Time, in every Japanese market report
)  # fmt: skip

# Gazetteer mentions that are not the country: tournaments ("US Open", "Aberto dos EUA"), teams
# ("Washington Nationals"), "St. Petersburg, Fla.". ("New England", "Iran International" and the
# like are blocked phrases of the supplement.)
TOURNAMENT_AFTER = re.compile(r"\s+(?:Open|Olympics|Olympic Games|Games|Paralympics|Grand Prix|Masters)\b")
YEAR_AFTER = re.compile(r"\s+(?:19|20)\d\d\b")  # "Paris 2024", "Los Angeles 2028": the Games
TOURNAMENT_BEFORE = re.compile(r"\b(?:Aberto|Abierto|Open|Internazionali)\s+d(?:[aeo]s?\s+|')(?:l')?$")
TEAM_AFTER = re.compile(r"\s+(?:Nationals|Wizards|Commanders|Capitals|Mystics|Spirit|Freedom)\b")
FLORIDA_AFTER = re.compile(r",?\s+(?:Fla\b|Florida\b)")
# A company's nationality, not the country: "US firm Powerus", "British recruiter Hays",
# "Chinese flash-memory chipmaker YMTC". Singular nouns: "Chinese firms dominate" is national.
COMPANY_AFTER = re.compile(
    r"(?:'s|’s)?\s+(?:[\w-]+\s+){0,2}?(?:firm|company|chipmaker|maker|recruiter|insurer|lender|carmaker"
    r"|automaker|brewer|retailer|airline|carrier|startup|start-up|conglomerate|miner|fintech|drugmaker"
    r"|manufacturer|supplier|developer|investor|brokerage|asset manager|e-commerce giant|tech giant"
    r"|utility|shipper|refiner)\b(?!s)"
)

# Capitalised, these demonyms are surnames or places elsewhere ("Russo", "Indiana").
NOT_CAPITALISED = frozenset({"Russo", "Russa", "Russi", "Tedesco", "Tedesca", "Tedeschi", "Francese", "Turco",
                              "Turca", "Indiana", "Indianas", "Indiani", "Chino", "Mongol", "Mongole"})
