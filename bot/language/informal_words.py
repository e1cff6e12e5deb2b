"""Hand-written tables for informal Indonesian questions (written for this project).

Only words that are unambiguous in a question to a news bot are listed: "pas", "kan", "buat",
"kaya" and "sama" are real words and stay out. Keys are lower case.
"""

from __future__ import annotations

# Chat abbreviations and colloquial words -> their formal form (may be several words).
SLANG: dict[str, str] = {
    # question words ("kenapa" too, so the reader sees the formal question word)
    "brp": "berapa", "brapa": "berapa", "brpa": "berapa", "berapaan": "berapa",
    "kpn": "kapan", "kapn": "kapan", "kpan": "kapan",
    "sapa": "siapa", "syp": "siapa", "sp": "siapa", "siapah": "siapa", "apaan": "apa",
    "gmn": "bagaimana", "gmna": "bagaimana", "gmana": "bagaimana", "gimana": "bagaimana", "gimna": "bagaimana",
    "dimna": "di mana", "dmna": "di mana", "jmlh": "jumlah", "bpk": "bapak",
    "bgmn": "bagaimana", "gimane": "bagaimana",
    "knp": "mengapa", "knapa": "mengapa", "napa": "mengapa", "kenapa": "mengapa",
    "ngapa": "mengapa", "ngapain": "mengapa",
    "dmn": "di mana", "dimana": "di mana", "dmana": "di mana",
    "kmn": "ke mana", "kemana": "ke mana",
    "drmn": "dari mana", "darimana": "dari mana",
    # function words
    "yg": "yang", "yng": "yang", "dgn": "dengan", "dg": "dengan", "dngn": "dengan",
    "utk": "untuk", "utuk": "untuk", "untk": "untuk", "dr": "dari", "dri": "dari",
    "dlm": "dalam", "pd": "pada", "kpd": "kepada", "ttg": "tentang", "tntg": "tentang", "mnrt": "menurut",
    "sbg": "sebagai", "sbgai": "sebagai", "krn": "karena", "krna": "karena", "karna": "karena",
    "kalo": "kalau", "klo": "kalau", "kl": "kalau", "tp": "tetapi", "tpi": "tetapi", "bkn": "bukan",
    "trs": "terus", "trus": "terus", "jg": "juga", "jga": "juga", "lg": "lagi", "lgi": "lagi",
    "sj": "saja", "aja": "saja", "ajah": "saja", "aj": "saja", "doang": "saja",
    "tsb": "tersebut", "spt": "seperti", "kyk": "seperti", "kayak": "seperti",
    "sblm": "sebelum", "sblum": "sebelum", "stlh": "setelah", "stlah": "setelah",
    "skrg": "sekarang", "skrang": "sekarang", "skarang": "sekarang", "skg": "sekarang", "kmrn": "kemarin",
    "kmaren": "kemarin", "ntr": "nanti", "sbnrnya": "sebenarnya", "sebenernya": "sebenarnya", "pdhl": "padahal",
    "blh": "boleh", "mgkn": "mungkin", "nda": "tidak", "ndak": "tidak", "prnh": "pernah", "slh": "salah",
    "sprti": "seperti", "krena": "karena", "dlu": "dulu", "drpd": "daripada",
    "kemaren": "kemarin", "td": "tadi", "tdi": "tadi", "bsk": "besok",
    "bbrp": "beberapa", "byk": "banyak", "bnyk": "banyak", "bnyak": "banyak",
    "sdg": "sedang", "hrs": "harus", "msh": "masih", "masi": "masih",
    "bs": "bisa", "bsa": "bisa", "dpt": "dapat", "dapet": "dapat", "jd": "jadi", "jdi": "jadi",
    "cuma": "hanya", "cuman": "hanya",
    "emg": "memang", "emang": "memang", "mmg": "memang",
    "bgt": "sekali", "banget": "sekali", "bngt": "sekali",
    "jgn": "jangan", "jngn": "jangan",
    # negation and aspect
    "gak": "tidak", "ga": "tidak", "gk": "tidak", "nggak": "tidak", "ngga": "tidak",
    "engga": "tidak", "enggak": "tidak", "kagak": "tidak", "tdk": "tidak",
    "sdh": "sudah", "udh": "sudah", "udah": "sudah", "dah": "sudah", "sudh": "sudah",
    "blm": "belum", "blum": "belum", "blom": "belum", "belom": "belum",
    "kerjasama": "kerja sama", "bekerjasama": "bekerja sama", "kordinasi": "koordinasi",
    "tanggungjawab": "tanggung jawab", "ato": "atau", "atw": "atau", "pny": "punya", "pnya": "punya",
    "mn": "mana", "mna": "mana", "dimn": "di mana", "bgmna": "bagaimana", "knpa": "mengapa",
    "blg": "mengatakan", "ngmg": "berbicara", "ngmng": "berbicara", "skrng": "sekarang",
    # nouns and numbers
    "org": "orang", "orng": "orang", "thn": "tahun", "th": "tahun", "tgl": "tanggal",
    "bln": "bulan", "mgg": "minggu", "hr": "hari", "wkt": "waktu", "pgi": "pagi", "mlm": "malam",
    "jt": "juta", "rb": "ribu", "ortu": "orang tua",
    "pres": "presiden", "gub": "gubernur", "kab": "kabupaten", "kec": "kecamatan", "prov": "provinsi",
    "temen": "teman", "duit": "uang", "cewek": "perempuan", "cewe": "perempuan",
    "cowok": "laki-laki", "cowo": "laki-laki", "bokap": "ayah", "nyokap": "ibu",
    "gw": "saya", "gue": "saya", "sy": "saya", "aq": "aku",
    "gede": "besar", "bener": "benar", "bnr": "benar", "tetep": "tetap", "ttp": "tetap", "mo": "mau", "gitu": "begitu", "gini": "begini",
    "sm": "sama", "ama": "sama",
    "tau": "tahu", "tw": "tahu", "liat": "lihat", "denger": "dengar", "pake": "pakai",
    "abis": "habis", "dateng": "datang", "sampe": "sampai", "ampe": "sampai", "nyampe": "sampai",
    "nyampai": "sampai", "pengen": "ingin", "pgn": "ingin", "pingin": "ingin",
    "nelpon": "menelepon", "nelp": "menelepon", "ditelpon": "ditelepon", "telpon": "telepon",
    # colloquial verbs whose formal form is not meN- + the same root
    "bilang": "mengatakan", "dibilang": "dikatakan", "bilangin": "mengatakan",
    "ketemu": "bertemu", "ketemuan": "bertemu", "nemu": "menemukan", "nemuin": "menemukan",
    "ditemuin": "ditemukan",
    "motret": "memotret", "konpers": "konferensi pers",
    "nanya": "bertanya", "ngomong": "berbicara", "ngomongin": "membicarakan",
    "diomongin": "dibicarakan", "ngobrol": "berbincang", "ngobrolin": "membicarakan",
    "bikin": "membuat", "dibikin": "dibuat", "bikinin": "membuatkan",
    "ngasih": "memberi", "dikasih": "diberikan", "ngasihin": "memberikan",
    "ngerti": "mengerti", "ngeliat": "melihat", "ngelihat": "melihat", "ngeliatin": "melihat",
    "diliatin": "diperlihatkan", "naro": "menaruh", "ditaro": "ditaruh",
    "nyari": "mencari", "nyariin": "mencarikan", "nyuri": "mencuri", "milih": "memilih",
    "mikir": "berpikir", "mikirin": "memikirkan", "mukul": "memukul", "makai": "memakai",
    "manggil": "memanggil", "mandang": "memandang",
    "kebakar": "terbakar", "ketangkep": "tertangkap", "ketangkap": "tertangkap",
    "kebawa": "terbawa", "kepilih": "terpilih", "kebuka": "terbuka", "kepaksa": "terpaksa",
    "ketipu": "tertipu", "kejebak": "terjebak", "ditangkep": "ditangkap", "nangkep": "menangkap",
    "muji": "memuji", "thd": "terhadap", "trhdp": "terhadap",
    "ketembak": "tertembak", "ketabrak": "tertabrak", "kelindes": "terlindas", "kejepit": "terjepit",
    "ketahan": "tertahan", "ketauan": "ketahuan", "keliatan": "kelihatan", "kedengeran": "terdengar",
    "mimpin": "memimpin", "minjem": "meminjam", "brpaan": "berapa", "bwt": "buat", "mrk": "mereka",
    "lbh": "lebih", "lbih": "lebih", "ntar": "nanti", "dll": "dan lain-lain", "kmi": "kami", "sja": "saja",
    "bole": "boleh", "mjd": "menjadi", "trmsk": "termasuk", "tmsk": "termasuk", "lwt": "lewat",
}

# Everyday words Sastrawi's list of roots lacks (it has "dahulu", not "dulu"), so that a question
# using them is not read as naming something the articles lack.
COMMON_WORDS = frozenset("dulu gara".split())

# Negation written onto the word it negates ("gamau", "gakbisa", "nggaada"): the negation, then
# one of these words (or its chat form). A closed list, because "ga" opens real words (gagal, gaji).
NEGATIONS = ("nggak", "ngga", "gak", "ga", "gk")
NEGATED_WORDS = frozenset(
    "mau mo bisa bs ada tau tahu tw pernah prnh boleh blh jadi jd perlu usah suka mungkin mgkn punya pny "
    "sempat sempet kena dapat dapet dpt ikut mampu jelas tentu".split()
)

# Particles and fillers that carry nothing for retrieval or reading.
PARTICLES = frozenset(
    "sih dong donk deh dech nih nich tuh lho loh toh yah kah ah eh "
    "wkwk wkwkwk haha hehe hihi btw plis pls min gan sis bro".split()
)

# "ya" is a particle only at the end of a question (before other such words: "... ya kak"), and so
# are the words that address whoever answers; "kok" asks why at the start.
FINAL_PARTICLES = frozenset({"ya", "ok", "oke", "kak", "kakak", "bang", "mbak"})

# The words of the offices news writes before a name ("Menteri Luar Negeri Rusia Sergei Lavrov"),
# read by `bot/titles.py` and by the question-word order ("Shoigu itu Menteri apa?" asks of what).
OFFICE_WORDS = frozenset(
    """presiden wakil menteri perdana juru bicara kepala ketua gubernur duta besar panglima pemimpin direktur
    sekretaris kanselir raja ratu pangeran kaisar sultan komandan walikota bupati
    penasihat penasehat mentri utusan koordinator senator konsul atase asisten pelatih manajer rektor jaksa hakim camat lurah emir""".split()
)
# Ranks and honorifics that one writer gives and another leaves out ("Jenderal Mark Milley").
RANKS = frozenset("jenderal letnan kolonel mayor kapten laksamana marsekal brigadir dr prof sang tuan syekh".split())

# Shortened titles, bodies and places that news itself writes: the formal expansion is put
# before the short form, which is kept in brackets (an article that writes "Mendagri" still
# matches, and the reader sees the full title).
NEWS_SHORT_FORMS: dict[str, str] = {
    "mendagri": "Menteri Dalam Negeri",
    "menlu": "Menteri Luar Negeri",
    "menkeu": "Menteri Keuangan",
    "menhan": "Menteri Pertahanan",
    "menkes": "Menteri Kesehatan",
    "mendikbud": "Menteri Pendidikan dan Kebudayaan",
    "mendikbudristek": "Menteri Pendidikan, Kebudayaan, Riset, dan Teknologi",
    "menag": "Menteri Agama",
    "menpora": "Menteri Pemuda dan Olahraga",
    "menkumham": "Menteri Hukum dan HAM",
    "menkopolhukam": "Menteri Koordinator Bidang Politik, Hukum, dan Keamanan",
    "menko": "Menteri Koordinator",
    "mensesneg": "Menteri Sekretaris Negara",
    "menaker": "Menteri Ketenagakerjaan",
    "mentan": "Menteri Pertanian",
    "mendag": "Menteri Perdagangan",
    "menperin": "Menteri Perindustrian",
    "menhub": "Menteri Perhubungan",
    "menparekraf": "Menteri Pariwisata dan Ekonomi Kreatif",
    "wapres": "Wakil Presiden",
    "ibukota": "ibu kota",  # a spelling news writes too (18 of 78 lines of the 2015 archive that use either)
    "capres": "calon presiden",
    "cawapres": "calon wakil presiden",
    "kapolri": "Kepala Kepolisian Republik Indonesia",
    "wakapolri": "Wakil Kepala Kepolisian Republik Indonesia",
    "kapolda": "Kepala Kepolisian Daerah",
    "kapolres": "Kepala Kepolisian Resor",
    "kapolsek": "Kepala Kepolisian Sektor",
    "kasad": "Kepala Staf Angkatan Darat",
    "kasal": "Kepala Staf Angkatan Laut",
    "kasau": "Kepala Staf Angkatan Udara",
    "dubes": "Duta Besar",
    "kedubes": "Kedutaan Besar",
    "konjen": "Konsulat Jenderal",
    "wamen": "Wakil Menteri",
    "wamenlu": "Wakil Menteri Luar Negeri",
    "mensos": "Menteri Sosial",
    "menkominfo": "Menteri Komunikasi dan Informatika",
    "menpan": "Menteri Pendayagunaan Aparatur Negara",
    "kemensos": "Kementerian Sosial",
    "kemenhub": "Kementerian Perhubungan",
    "kemendag": "Kementerian Perdagangan",
    "kemenkumham": "Kementerian Hukum dan HAM",
    "kemenpora": "Kementerian Pemuda dan Olahraga",
    "kejagung": "Kejaksaan Agung",
    "kabareskrim": "Kepala Badan Reserse Kriminal",
    "pangdam": "Panglima Komando Daerah Militer",
    "kemlu": "Kementerian Luar Negeri",
    "deplu": "Departemen Luar Negeri",
    "dephan": "Departemen Pertahanan",
    "pm": "Perdana Menteri",
    "sekneg": "Sekretariat Negara",
    "kemenlu": "Kementerian Luar Negeri",
    "kemendagri": "Kementerian Dalam Negeri",
    "kemenkeu": "Kementerian Keuangan",
    "kemenhan": "Kementerian Pertahanan",
    "kemenkes": "Kementerian Kesehatan",
    "kemendikbud": "Kementerian Pendidikan dan Kebudayaan",
    "kemenag": "Kementerian Agama",
    "pemprov": "Pemerintah Provinsi",
    "pemkot": "Pemerintah Kota",
    "pemkab": "Pemerintah Kabupaten",
    "pemda": "Pemerintah Daerah",
    "wagub": "Wakil Gubernur",
    "jubir": "juru bicara",
    "sekjen": "Sekretaris Jenderal",
    "dirut": "Direktur Utama",
    "ketum": "Ketua Umum",
    "mabes": "Markas Besar",
    "pilpres": "pemilihan presiden",
    "pilkada": "pemilihan kepala daerah",
    "korsel": "Korea Selatan",
    "korut": "Korea Utara",
    "as": "Amerika Serikat",
    "tv": "televisi",
    "jabar": "Jawa Barat",
    "jateng": "Jawa Tengah",
    "jatim": "Jawa Timur",
    "jaksel": "Jakarta Selatan",
    "jakpus": "Jakarta Pusat",
    "jaktim": "Jakarta Timur",
    "jakbar": "Jakarta Barat",
    "jakut": "Jakarta Utara",
    "sumut": "Sumatera Utara",
    "sumbar": "Sumatera Barat",
    "sumsel": "Sumatera Selatan",
    "sulsel": "Sulawesi Selatan",
    "sulut": "Sulawesi Utara",
    "kaltim": "Kalimantan Timur",
    "kalbar": "Kalimantan Barat",
    "kalteng": "Kalimantan Tengah",
    "kalsel": "Kalimantan Selatan",
}

# Chat names for places that news never writes: replaced outright.
PLACE_SLANG: dict[str, str] = {
    "amrik": "Amerika Serikat",
    "jkt": "Jakarta",
}

# The short forms news and chat use for each full name ("Amerika Serikat" -> as, amrik).
SHORT_FORMS_BY_FULL_FORM: dict[str, tuple[str, ...]] = {}
for _short, _full in [*NEWS_SHORT_FORMS.items(), *PLACE_SLANG.items()]:
    SHORT_FORMS_BY_FULL_FORM[_full.lower()] = SHORT_FORMS_BY_FULL_FORM.get(_full.lower(), ()) + (_short,)

# "Amerika" alone means the United States, unless a region follows.
AMERIKA_REGIONS = frozenset({"serikat", "latin", "selatan", "utara", "tengah"})

# Roots whose colloquial -in form becomes -i, not -kan (nguasain -> menguasai).
I_SUFFIX_ROOTS = frozenset(
    """
    kuasa datang temu ikut hadir jauh dekat tangan atas ajar kunjung tanda lewat hormat
    obat awas tembak kirim hampir akhir warna tutup hubung jajak selidik kurang lindung sakit alam damping
    milik cinta sayang
    """.split()
)
