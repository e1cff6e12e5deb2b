"""Informal question normalisation: each pattern, names left alone, formal questions unchanged, speed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.language.casing import CorpusNames
from bot.language.informal import formal_verb, indonesian_roots, is_indonesian_word, normalize_question, with_first_vowel
from bot.language.informal_eval import score

DEV = Path(__file__).parent / "data" / "informal_dev.jsonl"


@pytest.mark.parametrize("casual, formal", [
    ("brp org yg tewas dlm gempa itu", "Berapa orang yang tewas dalam gempa itu?"),
    ("tgl brp sidang dgn terdakwa", "Tanggal berapa sidang dengan terdakwa?"),
    ("sdh brp thn dia jd tersangka", "Sudah berapa tahun dia jadi tersangka?"),
    ("jgn2 blm ada korban", "Jangan-jangan belum ada korban?"),
    ("gak ada bantuan utk warga dr kota itu", "Tidak ada bantuan untuk warga dari kota itu?"),
    ("tglnya kapan", "Tanggalnya kapan?"),
    ("pres ukraina ketemu gub jatim hr apa", "Presiden ukraina bertemu gubernur Jawa Timur (jatim) hari apa?"),
    ("mnrt bmkg gempa kab cianjur terjadi pgi atau mlm", "Menurut bmkg gempa kabupaten cianjur terjadi pagi atau malam?"),
    ("amrik kirim 3rb pasukan", "Amerika Serikat kirim 3 ribu pasukan?"),
    ("dananya 1,5jt per org", "Dananya 1,5 juta per orang?"),
    ("lari 100m", "Lari 100m?"),  # a metre, not a billion
    ("kmrn ada brp org yg ketembak", "Kemarin ada berapa orang yang tertembak?"),
    ("ngapain aja tentara di perbatasan", "Melakukan apa saja tentara di perbatasan?"),  # what, not why
    ("biden rundingan sm siapa", "Biden rundingan dengan siapa?"),  # chat "sama" is "with"
    ("kordinasinya tergantung sama apa", "Koordinasinya tergantung pada apa?"),
    ("kerja sama itu sama dengan tahun lalu", "Kerja sama itu sama dengan tahun lalu?"),  # cooperation; the same as
    ("jubir taliban ngomong apa ttg kerja sama ama as", "Juru bicara (jubir) taliban berbicara apa tentang kerja sama dengan Amerika Serikat (as)?"),
    ("sekjen csto namanya sp", "Sekretaris Jenderal (sekjen) csto namanya siapa?"),
    ("emg rusia mo bantu, ttp buka gak", "Memang rusia mau bantu, tetap buka tidak?"),
    ("mrk bwt apa pangkalan itu", "Mereka buat apa pangkalan itu?"),
    ("pangkalan itu buat apa", "Pangkalan itu untuk apa?"),  # at the end: what for
    ("tentara rusia lg ngapain di perbatasan", "Tentara rusia sedang melakukan apa di perbatasan?"),  # now, not again
    ("tajikistan lg mikirin apa", "Tajikistan sedang memikirkan apa?"),
    ("kabulov minta negara barat jgn ngapain", "Kabulov minta negara barat untuk tidak melakukan apa?"),
    ("jgn2 taliban nyerang kabul", "Jangan-jangan taliban menyerang kabul?"),  # no verb of asking before it
    ("dia ngirim pasukan lg", "Dia mengirim pasukan lagi?"),
    ("wapresnya siapa", "Wakil Presidennya (wapres) siapa?"),  # a short form with -nya
    ("kedubes rusia di kabul tutup", "Kedutaan Besar (kedubes) rusia di kabul tutup?"),
    ("kapolda sumut siapa", "Kepala Kepolisian Daerah (kapolda) Sumatera Utara (sumut) siapa?"),
    ("asnya", "Asnya?"),  # "as" is also an ordinary word
    ("kenapa rusia gamau nutup kedubesnya", "Mengapa rusia tidak mau menutup Kedutaan Besarnya (kedubes)?"),
    ("as gakbisa ngevakuasi semua org", "Amerika Serikat (as) tidak bisa mengevakuasi semua orang?"),
    ("nggaada penjaga di kedutaan ato ada", "Tidak ada penjaga di kedutaan atau ada?"),
    ("gaji tentara brp", "Gaji tentara berapa?"),  # "ga" opens real words: only a closed list is split
    ("gagal evakuasi di mn", "Gagal evakuasi di mana?"),
    ("as ngevakuasi lbh dr brp org", "Amerika Serikat (as) mengevakuasi lebih dari berapa orang?"),  # not the acronym LBH
    ("smua korban trakhir dibawa kmn", "Semua korban terakhir dibawa ke mana?"),  # the "e" after the first letter left out
    ("pertemuan itu diadainnya dmn", "Pertemuan itu diadakannya di mana?"),  # a colloquial verb with -nya
    ("kedubes ngumumin lwt apa", "Kedutaan Besar (kedubes) mengumumkan lewat apa?"),
    ("pasukan as mau cabut dr afghanistan kpn", "Pasukan Amerika Serikat (as) mau keluar dari afghanistan kapan?"),  # leave
    ("diplomat pd cabut ke mana", "Diplomat pada pergi ke mana?"),
    ("kpk cabut izin itu kpn", "Kpk cabut izin itu kapan?"),  # revoke: left as typed
])
def test_abbreviations(casual, formal):
    assert normalize_question(casual) == formal


@pytest.mark.parametrize("casual, formal", [
    ("gimana kondisi korban", "Bagaimana kondisi korban?"),
    ("kenapa harga naik", "Mengapa harga naik?"),
    ("knp demo ricuh", "Mengapa demo ricuh?"),
    ("dmn lokasi banjir", "Di mana lokasi banjir?"),
    ("kpn pemilu digelar", "Kapan pemilu digelar?"),
    ("kpan pesawat itu jatuh", "Kapan pesawat itu jatuh?"),  # common slips of question words
    ("siapah pelatih persib", "Siapa pelatih persib?"),
    ("lokasi kecelakaan dimna", "Lokasi kecelakaan di mana?"),
    ("ini kejadiannya dimana ya kak", "Ini kejadiannya di mana?"),  # "ya" before a word addressing the bot
    ("jumlah korban ada brp ya min", "Jumlah korban ada berapa?"),
    ("kok bisa pesawat jatuh", "Mengapa bisa pesawat jatuh?"),
])
def test_question_words_become_formal(casual, formal):
    assert normalize_question(casual) == formal


@pytest.mark.parametrize("casual, formal", [
    ("ngapain presiden ke papua", "Mengapa presiden ke papua?"),  # first: why
    ("presiden ke papua mau ngapain", "Presiden ke papua mau melakukan apa?"),  # later: doing what
    ("siapa yg motret kejadian itu", "Siapa yang memotret kejadian itu?"),
    ("menkes konpers tgl brp", "Menteri Kesehatan (menkes) konferensi pers tanggal berapa?"),
    ("rusia ngirim pasukan ke mana", "Rusia mengirim pasukan ke mana?"),
    ("kapan israel nyerang rafah", "Kapan israel menyerang rafah?"),
    ("siapa yg ngebahas subsidi", "Siapa yang membahas subsidi?"),
    ("wartawan nanyain apa", "Wartawan menanyakan apa?"),
    ("siapa yg dikirimin surat", "Siapa yang dikirimi surat?"),
    ("brp tentara yg dipertahanin", "Berapa tentara yang dipertahankan?"),  # di-per- with -in
    ("presiden ketemu siapa", "Presiden bertemu siapa?"),
    ("menteri bilang apa", "Menteri mengatakan apa?"),
    ("siapa yg nyampe duluan", "Siapa yang sampai duluan?"),
    ("siapa yg ngambil alih perusahaan", "Siapa yang mengambil alih perusahaan?"),
    ("polisi ngecek apa", "Polisi mengecek apa?"),
    ("taliban nguasain kota apa", "Taliban menguasai kota apa?"),
    ("bank sentral naikin bunga", "Bank sentral menaikkan bunga?"),
    ("pemerintah nyiapin beras", "Pemerintah menyiapkan beras?"),
    ("pemprov ngeluarin aturan apa", "Pemerintah Provinsi (pemprov) mengeluarkan aturan apa?"),
    ("polisi nangkep siapa", "Polisi menangkap siapa?"),
    ("warga nolak apa", "Warga menolak apa?"),
    ("milley lg jajakin kerja sama sm siapa", "Milley sedang menjajaki kerja sama dengan siapa?"),  # -in as -i, not -kan
    ("polisi nyelidikin kasus apa", "Polisi menyelidiki kasus apa?"),
    ("pemerintah ngurangin subsidi apa", "Pemerintah mengurangi subsidi apa?"),
])
def test_colloquial_verbs(casual, formal):
    assert normalize_question(casual) == formal


@pytest.mark.parametrize("word", ["nyata", "nyaman", "ngeri", "bermain", "semakin", "pendingin",
                                  "dijamin", "didesain", "ingin", "dingin", "mungkin", "pemimpin",
                                  "nasional", "negara", "mengirim", "menyerang", "masukan"])
def test_real_words_are_not_read_as_colloquial_verbs(word):
    assert formal_verb(word) is None


@pytest.mark.parametrize("word, ordinary", [
    ("negara-negara", True), ("buru-buru", True), ("gara-gara", True), ("dulu", True), ("letaknya", True),
    ("mazar-i-sharif", False), ("isis-k", False), ("kassym-jomart", False), ("milley", False), ("-", False),
    ("keadaan", True), ("keduanya", True), ("diakui", True), ("penyeberangan", True), ("kirgizstan", False),
    ("badakhshan", False), ("shoigu", False),
])
def test_ordinary_words_and_names(word, ordinary):
    assert is_indonesian_word(word) is ordinary


def test_colloquial_verb_needs_a_real_root():
    assert formal_verb("ngirim") == "mengirim"
    assert formal_verb("ngxyzq") is None  # no such root
    assert formal_verb("nyxyzqin") is None


def test_corpus_lexicon_protects_names_and_breaks_ties():
    assert formal_verb("nanda") == "menanda"  # without the corpus: read as n- + tanda
    assert formal_verb("nanda", {"nanda", "tanda"}) is None  # the corpus writes it: a name
    assert formal_verb("nanda", {"nanda", "menanda"}) == "menanda"
    assert formal_verb("nyari") is None or formal_verb("nyari", {"mencari"}) == "mencari"
    assert normalize_question("siapa yg nyari korban", {"mencari"}) == "Siapa yang mencari korban?"


def test_a_name_capitalised_only_as_the_first_word_is_written_as_the_corpus_writes_it():
    names = CorpusNames.learn(["Sekretaris Jenderal CSTO Stanislav Zas hadir. Pasukan CSTO siap di Kabul."])
    assert names.written("Csto itu apa?") == "CSTO itu apa?"
    assert names.written("Kabul itu apa?") == "Kabul itu apa?"
    assert names.is_name("kabul") and not names.is_name("itu")


def test_names_typed_in_lower_case_are_written_as_the_corpus_writes_them():
    bodies = ["Presiden Joe Biden bertemu Taliban di Kabul pada bulan Juni. Dulu pasukan ISIS-K menyerang.",
              "Kata Biden, Taliban menolak. Dulu, sebelum itu, dia menunggu dulu.", "Tentara kembali ke Kabul."]
    names = CorpusNames.learn(bodies)
    assert names.casing == {"joe": "Joe", "biden": "Biden", "taliban": "Taliban",
                            "kabul": "Kabul", "juni": "Juni", "isis-k": "ISIS-K"}  # "Presiden" and "Dulu" only start sentences
    asked = normalize_question("kpn biden ketemu taliban di kabul dulu")
    assert names.written(asked) == "Kapan Biden bertemu Taliban di Kabul dulu?"
    assert names.written("ISIS-K menyerang siapa?") == names.written("isis-k menyerang siapa?") == "ISIS-K menyerang siapa?"


def test_a_word_typed_without_its_first_e_is_written_out():
    for typed, meant in [("smua", "semua"), ("trakhir", "terakhir"), ("prtama", "pertama"), ("mninggal", "meninggal"),
                         ("pmerintah", "pemerintah"), ("trbesar", "terbesar"), ("ksehatan", "kesehatan"), ("tlah", "telah")]:
        assert with_first_vowel(typed) == meant
    for kept in ["trump", "brexit", "grab", "smart", "blog", "kpk", "bpjs", "shoigu", "kremlin", "tsunami", "swedia",
                 "semua", "dsa"]:  # names, acronyms, words already written out, too short
        assert with_first_vowel(kept) is None
    assert normalize_question("trakhir kali ke sana kpn", {"trakhir"}) == "Trakhir kali ke sana kapan?"  # the corpus writes it


def test_a_two_word_name_is_written_as_the_corpus_writes_the_pair():
    # A large archive writes "mark" in English text and "NED" as an acronym, so neither is a name
    # on its own; the pairs are. A title beside a name, or an Indonesian word the corpus mostly
    # writes in lower case, is no two-word name.
    bodies = ["Kata juru bicara Ned Price, semua aman. Jenderal Mark Milley hadir di Pentagon.",
              "Dana dari NED dan program NED berlanjut. The mark of a price is low, a low price.",
              "Pekan ini Presiden Biden bertemu tim Ferrari dan presiden lain. Sebuah tim baru dan tim lama. Tim Ferrari menang."]
    names = CorpusNames.learn(bodies)
    assert names.casing["ned"] == "NED" and "mark" not in names.casing and "price" not in names.casing
    assert names.phrases == {"ned price": "Ned Price", "mark milley": "Mark Milley"}
    assert names.written("Ned price lahir tahun berapa?") == "Ned Price lahir tahun berapa?"  # not "NED Price"
    assert names.written("Berapa umur mark milley?") == "Berapa umur Mark Milley?"
    assert names.written("Mark milley ke pentagon kapan?") == "Mark Milley ke Pentagon kapan?"
    assert names.written("Siapa presiden biden?") == "Siapa presiden Biden?"
    assert names.written("Dana ned dari mana?") == "Dana NED dari mana?"
    assert names.written("Berapa price mark?") == "Berapa price mark?"  # no pair of the corpus


def test_a_long_name_one_slip_away_is_taken_for_the_corpus_name():
    bodies = ["Pasukan di Afghanistan dan Badakhshan bertemu Taliban.", "Dari Tajikistan, Kazakhstan dan Zambia."]
    names = CorpusNames.learn(bodies)
    lexicon = {"afghanistan", "badakhshan", "tajikistan", "kazakhstan", "zambia", "taliban", "pasukan"}
    assert names.written("Kapan Taliban ke afganistan dan badakshan lewat tajikstan?", lexicon) == \
        "Kapan Taliban ke Afghanistan dan Badakhshan lewat Tajikistan?"  # left out, left out, swapped
    assert names.written("Kapan ke Afganistan?", lexicon) == "Kapan ke Afganistan?"  # capitalised on purpose
    assert names.misspelt("tajikisatn", lexicon) == "tajikistan"  # two letters swapped
    assert names.misspelt("afghanistann", lexicon) == "afghanistan"  # one added
    assert names.misspelt("gambia", lexicon) is None  # too short to tell from another real name
    assert names.misspelt("pakistan", lexicon) is None  # no corpus name is one slip away
    assert names.misspelt("perbatasan", lexicon) is None  # an ordinary word
    assert names.misspelt("afganistan", lexicon | {"afganistan"}) is None  # the corpus itself writes it so
    two = CorpusNames.learn(["Kota Karamanli dan Karamanlo di sana."])
    assert two.misspelt("karamanla", set()) is None  # one slip from two names: which one is unknown


def test_root_from_the_corpus_lexicon_counts_as_real():
    assert formal_verb("ngobrax") is None
    assert formal_verb("ngobrax", {"obrax"}) == "mengobrax"


@pytest.mark.parametrize("casual, formal", [
    ("siapa sih yg menang", "Siapa yang menang?"),
    ("berapa dong korbannya", "Berapa korbannya?"),
    ("kapan deh pemilu", "Kapan pemilu?"),
    ("knp sekolah diliburkan tuh", "Mengapa sekolah diliburkan?"),
    ("ada berapa korban ya", "Ada berapa korban?"),
    ("apa aja yg dibahas", "Apa saja yang dibahas?"),
    ("yang itu kok belum dijawab", "Yang itu belum dijawab?"),
    ("bpjs itu apaan sihh", "Bpjs itu apa?"),  # elongated particle
    ("jadi gimana dongg", "Jadi bagaimana?"),
])
def test_particles_are_dropped(casual, formal):
    assert normalize_question(casual) == formal


def test_ya_is_kept_inside_a_question():
    assert normalize_question("apakah ya atau tidak jawabannya") == "Apakah ya atau tidak jawabannya?"


@pytest.mark.parametrize("casual, formal", [
    ("brpaaaa korban banjir??", "Berapa korban banjir?"),
    ("siapaaa pelatihnya", "Siapa pelatihnya?"),
    ("kapaaan pemilu?!?", "Kapan pemilu?"),
    ("gkkkk ada yg tahu", "Tidak ada yang tahu?"),
])
def test_elongations_are_repaired(casual, formal):
    assert normalize_question(casual) == formal


@pytest.mark.parametrize("casual, formal", [
    ("siapa mendagri sekarang", "Siapa Menteri Dalam Negeri (mendagri) sekarang?"),
    ("Menkeu bilang apa", "Menteri Keuangan (Menkeu) mengatakan apa?"),
    ("kapan wapres ke tokyo", "Kapan Wakil Presiden (wapres) ke tokyo?"),
    ("kapolri ngomong apa", "Kepala Kepolisian Republik Indonesia (kapolri) berbicara apa?"),
    ("siapa dubes kita", "Siapa Duta Besar (dubes) kita?"),
    ("kemlu ngirim apa", "Kementerian Luar Negeri (kemlu) mengirim apa?"),
    ("Presiden AS bilang apa", "Presiden Amerika Serikat (AS) mengatakan apa?"),
    ("kapan amrik narik pasukan", "Kapan Amerika Serikat menarik pasukan?"),
    ("siapa presiden amerika", "Siapa presiden Amerika Serikat?"),
])
def test_news_short_forms_are_expanded_and_kept(casual, formal):
    assert normalize_question(casual) == formal


def test_short_forms_can_be_replaced_instead():
    assert normalize_question("siapa menlu AS", keep_short_forms=False) == \
        "Siapa Menteri Luar Negeri Amerika Serikat?"


@pytest.mark.parametrize("question", [
    "Siapa presiden Amerika Latin yang datang?",
    "Negara di Amerika Selatan mana yang menang?",
    "Berapa dana KPK untuk DPR?",
    "Kapan Nadal bertemu Messi di Paris?",
    "Apakah Kalla hadir di Ngawi?",
    "Berapa dollar yang dibayar Nissan?",
    "Siapa yang menulis tentang dr. Tirta?",
    "Apakah harganya pas?",
    "Siapa yang datang bersama Pak Jokowi?",
])
def test_names_countries_and_real_words_left_alone(question):
    assert normalize_question(question) == question


FORMAL = [
    "Berapa tentara cadangan yang dimobilisasi Presiden Tajikistan?",
    "Siapa yang mengirim pasukan ke Kabul pada 15 Agustus 2021?",
    "Apa alasan Taliban menyerang kota itu?",
    "Mengapa Indonesia mengirim 20.000 ton beras ke Afghanistan pada 1/9/2021?",
    "Kapan Menteri Luar Negeri (Menlu) Rusia bertemu Duta Besar Amerika Serikat (AS)?",
    "Bagaimana tanggapan Kementerian Luar Negeri tentang penangkapan WNI di Malaysia?",
    "Di mana ISIS-K melancarkan serangan bom bunuh diri?",
    "Siapa penulis berita tentang evakuasi warga negara Indonesia?",
    "Apa saja yang dibahas dalam pertemuan para menteri luar negeri ASEAN?",
    "Terima kasih, siapa pemenangnya?",
    "Berapa persen inflasi yang diumumkan Badan Pusat Statistik (BPS) pada bulan lalu?",
    "Apakah pemerintah sudah menyiapkan bantuan bagi masyarakat yang terdampak semakin parahnya banjir?",
]


@pytest.mark.parametrize("question", FORMAL)
def test_formal_questions_are_unchanged(question):
    assert normalize_question(question) == question


@pytest.mark.parametrize("question", FORMAL)
def test_formal_questions_only_gain_capital_and_question_mark(question):
    bare = question[0].lower() + question[1:-1]
    assert normalize_question(bare) == question


def test_idempotent_on_the_dev_set():
    for line in DEV.read_text(encoding="utf-8").splitlines():
        once = normalize_question(json.loads(line)["casual"])
        assert normalize_question(once) == once


def test_empty_and_punctuation_only():
    assert normalize_question("") == ""
    assert normalize_question("   ") == ""
    assert normalize_question("sih") == ""
    assert normalize_question("??") == ""


def test_dev_set_scores_far_above_unchanged_questions():
    pairs = [(row["casual"], row["formal"]) for row in map(json.loads, DEV.read_text().splitlines())]
    assert len(pairs) >= 60
    _, f1_before = score(pairs, lambda q: q)
    em_after, f1_after = score(pairs, normalize_question)
    assert f1_before < 70
    assert f1_after >= 95 and em_after >= 70


def test_roots_are_loaded_once():
    assert indonesian_roots() is indonesian_roots()
    assert {"kirim", "serang", "tanya"} <= indonesian_roots()
