"""Synthetic people for the demo and the volume seed: plausible names of newcomers by country of origin.

The names are common given names and surnames of each country (no real person is meant); codes are BRP
landelijke tabel 32 (nationaliteit) and 34 (land). Shared by `seed_demo` and `seed --clients N`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    country: str
    nationality_code: str
    country_code: str
    languages: str
    interpreter_language: str
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]


SYRIA = Origin(
    "Syrië", "0336", "7009", "Arabisch", "Arabisch",
    ("Ahmad", "Mohammed", "Omar", "Khaled", "Yousef", "Hassan", "Ibrahim", "Samer", "Tarek", "Fadi", "Mahmoud",
     "Ziad", "Amjad", "Bilal", "Anas"),
    ("Fatima", "Amal", "Rasha", "Hala", "Lina", "Nour", "Rima", "Dima", "Yasmin", "Hiba", "Reem", "Sawsan",
     "Ghalia", "Rania", "Bushra"),
    ("Haddad", "Al-Hassan", "Khalil", "Nasser", "Darwish", "Haj Ali", "Al-Ahmad", "Saleh", "Kassab", "Hamwi",
     "Othman", "Shami", "Alloush", "Zein", "Aboud"),
)  # fmt: skip
ERITREA = Origin(
    "Eritrea", "0084", "9003", "Tigrinya", "Tigrinya",
    ("Yonas", "Tesfay", "Mehari", "Samuel", "Dawit", "Filmon", "Kidane", "Biniam", "Amanuel", "Habtom", "Mussie",
     "Robel"),
    ("Selam", "Helen", "Senait", "Yohana", "Luwam", "Saba", "Winta", "Tsega", "Feven", "Rahel", "Miriam", "Hanna"),
    ("Tesfamariam", "Gebremedhin", "Haile", "Tekle", "Berhane", "Weldemichael", "Ghebreyesus", "Abraha",
     "Mebrahtu", "Habte", "Yemane", "Kahsay"),
)  # fmt: skip
AFGHANISTAN = Origin(
    "Afghanistan", "0300", "6023", "Dari, Pashto", "Dari",
    ("Farid", "Hamid", "Javid", "Naweed", "Rahim", "Sohail", "Wahid", "Zabiullah", "Mustafa", "Ali Reza",
     "Mohammad Nabi", "Ahmad Zia"),
    ("Farzana", "Mariam", "Nilofar", "Parisa", "Shabnam", "Zahra", "Freshta", "Hosai", "Mina", "Zainab", "Fatema",
     "Laila"),
    ("Ahmadi", "Hakimi", "Karimi", "Noori", "Rahimi", "Sadat", "Wardak", "Yusufzai", "Hashimi", "Popal",
     "Mohammadi", "Amiri"),
)  # fmt: skip
TURKEY = Origin(
    "Turkije", "0339", "6043", "Turks, Koerdisch", "Turks",
    ("Mehmet", "Mustafa", "Emre", "Burak", "Serkan", "Kemal", "Murat", "Yusuf", "Hakan", "Baran", "Deniz", "Ozan"),
    ("Ayşe", "Elif", "Zeynep", "Fatma", "Emine", "Hatice", "Merve", "Büşra", "Selin", "Derya", "Gül", "Leyla"),
    ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Aydın", "Öztürk", "Arslan", "Doğan", "Koç", "Kurt"),
)  # fmt: skip
UKRAINE = Origin(
    "Oekraïne", "0034", "6038", "Oekraïens, Russisch", "Oekraïens",
    ("Oleksandr", "Andrii", "Dmytro", "Serhii", "Mykola", "Yurii", "Taras", "Bohdan", "Ivan", "Vasyl", "Maksym",
     "Artem"),
    ("Olena", "Iryna", "Nataliia", "Oksana", "Tetiana", "Yuliia", "Kateryna", "Svitlana", "Anastasiia", "Halyna",
     "Viktoriia", "Sofiia"),
    ("Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Oliinyk", "Melnyk", "Boiko", "Moroz",
     "Lysenko", "Rudenko", "Savchenko"),
)  # fmt: skip
SOMALIA = Origin(
    "Somalië", "0149", "6013", "Somalisch", "Somalisch",
    ("Abdi", "Mohamed", "Abdirahman", "Hassan", "Ahmed", "Yusuf", "Mahad", "Liban", "Farah", "Guled"),
    ("Hodan", "Fadumo", "Amina", "Sahra", "Hibo", "Ifrah", "Nasra", "Ubah", "Ayaan", "Ladan"),
    ("Warsame", "Abdullahi", "Farah", "Hirsi", "Jama", "Osman", "Nur", "Elmi", "Ali", "Ismail"),
)  # fmt: skip
YEMEN = Origin(
    "Jemen", "0058", "5048", "Arabisch", "Arabisch",
    ("Abdullah", "Saleh", "Nabil", "Waleed", "Fuad", "Majed", "Hamza", "Ammar"),
    ("Arwa", "Bilqis", "Ghada", "Huda", "Safa", "Wafa", "Samira", "Asma"),
    ("Al-Qadhi", "Al-Hamdani", "Ba-Wazir", "Al-Sanani", "Al-Eryani", "Al-Maqtari", "Hassan", "Shamsan"),
)  # fmt: skip
IRAN = Origin(
    "Iran", "0315", "5012", "Farsi", "Farsi",
    ("Reza", "Hossein", "Mehdi", "Amir", "Behrouz", "Kaveh", "Dariush", "Saeed"),
    ("Shirin", "Maryam", "Neda", "Parisa", "Roya", "Azadeh", "Leila", "Sanaz"),
    ("Hosseini", "Rezaei", "Moradi", "Jafari", "Karimi", "Sadeghi", "Tehrani", "Ebrahimi"),
)  # fmt: skip
SUDAN = Origin(
    "Soedan", "0148", "7034", "Arabisch", "Arabisch",
    ("Osman", "Babiker", "Elfatih", "Mohamed", "Hamid", "Musa", "Adam", "Ibrahim"),
    ("Sara", "Mawahib", "Tasneem", "Khadija", "Amna", "Hawa", "Safaa", "Nafisa"),
    ("Abdelrahman", "Elamin", "Babiker", "Osman", "Hamad", "Ahmed", "Yagoub", "Idris"),
)  # fmt: skip
MOROCCO = Origin(
    "Marokko", "0131", "5022", "Arabisch, Tamazight", "Tamazight",
    ("Youssef", "Said", "Rachid", "Karim", "Hamid", "Mourad", "Nordin", "Soufiane"),
    ("Naima", "Fatiha", "Khadija", "Samira", "Hanan", "Loubna", "Imane", "Siham"),
    ("El Idrissi", "Benali", "Bouzid", "Amrani", "Tahiri", "Ouali", "Chaouch", "Azzouzi"),
)  # fmt: skip
ETHIOPIA = Origin(
    "Ethiopië", "0114", "5020", "Amhaars", "Amhaars",
    ("Abebe", "Dereje", "Getachew", "Kebede", "Solomon", "Tadesse", "Yared", "Mulugeta"),
    ("Almaz", "Bethlehem", "Hiwot", "Meron", "Tigist", "Selamawit", "Mahlet", "Tsion"),
    ("Alemu", "Bekele", "Girma", "Tesfaye", "Wolde", "Desta", "Mengistu", "Assefa"),
)  # fmt: skip

# Origins weighted roughly like recent inflow of asielstatushouders and gezinsmigranten.
ASYLUM_ORIGINS: tuple[Origin, ...] = (
    SYRIA, SYRIA, SYRIA, ERITREA, ERITREA, AFGHANISTAN, AFGHANISTAN, TURKEY, YEMEN, SOMALIA, IRAN, SUDAN, ETHIOPIA,
)  # fmt: skip
FAMILY_ORIGINS: tuple[Origin, ...] = (TURKEY, MOROCCO, UKRAINE, SYRIA, ERITREA, IRAN, ETHIOPIA)
ALL_ORIGINS: tuple[Origin, ...] = (
    SYRIA, ERITREA, AFGHANISTAN, TURKEY, UKRAINE, SOMALIA, YEMEN, IRAN, SUDAN, MOROCCO, ETHIOPIA,
)  # fmt: skip

HAARLEM_STREETS: tuple[str, ...] = (
    "Amsterdamstraat", "Schoterweg", "Rijksstraatweg", "Zijlweg", "Kleverparkweg", "Europaweg", "Schipholweg",
    "Delftplein", "Prinsen Bolwerk", "Marsmanplein", "Meeuwenlaan", "Planetenlaan", "Rustenburgerlaan",
    "Spaarndamseweg", "Slachthuisstraat", "Generaal Cronjéstraat",
)  # fmt: skip
ZANDVOORT_STREETS: tuple[str, ...] = (
    "Haltestraat", "Kostverlorenstraat", "Tolweg", "Van Lennepweg", "Celsiusstraat", "Flemingstraat",
    "Linnaeusstraat", "Kochstraat", "Burgemeester Engelbertsstraat", "Brederodestraat",
)  # fmt: skip
