"""Words the seed builds believable German projects, people and comments from."""

SUBJECTS = [
    "Digitalisierung",
    "Online-Antrag",
    "E-Akte",
    "Offene Daten",
    "Barrierefreiheit",
    "Terminvergabe",
    "Datenplattform",
    "KI-Assistenz",
    "Service-Portal",
    "Nutzerforschung",
    "Cloud-Umstellung",
    "Bürgerbeteiligung",
]

OBJECTS = [
    "der Bürgerämter",
    "der Kita-Anmeldung",
    "im Gesundheitsamt",
    "der Schulverwaltung",
    "für Radwege",
    "der Baugenehmigung",
    "im Ordnungsamt",
    "der Standesämter",
    "für Grünflächen",
    "der Wohngeldstelle",
    "im Jugendamt",
    "der Kfz-Zulassung",
    "für Sportvereine",
    "der Friedhofsverwaltung",
    "im Sozialamt",
    "der Einbürgerung",
    "für Straßenbäume",
    "der Elterngeldstelle",
    "im Bezirksamt",
    "der Gewerbeanmeldung",
]

GOALS = [
    "machen den Dienst einfacher und schneller",
    "bauen einen Prototyp und testen ihn mit Betroffenen",
    "ersetzen Papierformulare durch einen klaren Online-Weg",
    "veröffentlichen die Daten offen und maschinenlesbar",
    "prüfen, was Nutzerinnen und Nutzer wirklich brauchen",
    "verkürzen Wartezeiten und vermeiden doppelte Wege",
]

GROUPS = [
    "Berlinerinnen und Berlinern",
    "den Beschäftigten vor Ort",
    "Familien",
    "Unternehmen",
    "älteren Menschen",
    "Menschen mit Behinderungen",
    "Jugendlichen",
    "den Bezirken",
]

SENTENCES = [
    "Wir sprechen zuerst mit den Menschen, die den Dienst täglich nutzen.",
    "Die Digitalisierung der Verwaltung gelingt nur, wenn Abläufe neu gedacht werden.",
    "Jede Woche zeigen wir den aktuellen Stand und sammeln Rückmeldungen.",
    "Der Quellcode wird unter einer freien Lizenz veröffentlicht.",
    "Datenschutz und IT-Sicherheit sind von Anfang an Teil des Entwurfs.",
    "Wir arbeiten in kurzen Iterationen und halten regelmäßig Retrospektiven.",
    "Die Ergebnisse stehen allen Bezirken zur Nachnutzung offen.",
    "Formulare werden in einfacher und in Leichter Sprache angeboten.",
    "Wir messen, ob der neue Weg tatsächlich Zeit spart.",
    "Die Fachverfahren werden über offene Schnittstellen angebunden.",
    "Bürgerinnen und Bürger testen frühe Entwürfe im Nutzungslabor.",
    "Am Ende steht ein Dienst, der auf dem Smartphone genauso gut funktioniert.",
]

EMPLOYEE_ROLES = [
    "Produktverantwortung",
    "Nutzerforschung",
    "Entwicklung",
    "Datenanalyse",
    "Interaktionsdesign",
    "Projektkoordination",
    "Testmanagement",
    "Fachberatung",
    "Betrieb und Cloud",
    "Redaktion Leichte Sprache",
]

PUBLIC_ROLES = [
    ("Ideen aus dem Alltag", "ideas"),
    ("Feedback zu Entwürfen", "feedback"),
    ("Testen der Beta-Version", "testing"),
]

TOPICS = [
    ("citizen-services", "Bürgerservice", "Citizen services"),
    ("open-government", "Offenes Regierungshandeln", "Open government"),
    ("climate", "Klima", "Climate"),
    ("education", "Bildung", "Education"),
    ("mobility", "Mobilität", "Mobility"),
    ("health", "Gesundheit", "Health"),
    ("participation", "Beteiligung", "Participation"),
    ("security", "IT-Sicherheit", "IT security"),
    ("housing", "Wohnen", "Housing"),
    ("economy", "Wirtschaft", "Economy"),
]

SKILLS = [
    ("project-management", "Projektmanagement", "Project management"),
    ("ux-research", "Nutzerforschung", "User research"),
    ("interaction-design", "Interaktionsdesign", "Interaction design"),
    ("python", "Python", "Python"),
    ("java", "Java", "Java"),
    ("cloud-operations", "Cloud-Betrieb", "Cloud operations"),
    ("data-analysis", "Datenanalyse", "Data analysis"),
    ("open-data", "Offene Daten", "Open data"),
    ("accessibility", "Barrierefreiheit", "Accessibility"),
    ("easy-language", "Leichte Sprache", "Easy language"),
    ("procurement", "Vergaberecht", "Procurement law"),
    ("data-protection", "Datenschutz", "Data protection"),
    ("it-security", "IT-Sicherheit", "IT security"),
    ("testing", "Softwaretest", "Software testing"),
    ("moderation", "Moderation", "Facilitation"),
    ("change-management", "Veränderungsmanagement", "Change management"),
    ("gis", "Geodaten", "Geodata"),
    ("writing", "Redaktion", "Editing"),
    ("law", "Verwaltungsrecht", "Administrative law"),
    ("finance", "Haushalt", "Budgeting"),
    ("agile-coaching", "Agiles Coaching", "Agile coaching"),
    ("service-design", "Service-Design", "Service design"),
    ("frontend", "Frontend-Entwicklung", "Front-end development"),
    ("databases", "Datenbanken", "Databases"),
]

FIRST_NAMES = [
    "Anna", "Ben", "Clara", "Deniz", "Emil", "Fatma", "Greta", "Hakan", "Ida", "Jonas",
    "Kim", "Lena", "Mehmet", "Nora", "Oskar", "Paula", "Quentin", "Rosa", "Samir", "Tina",
]  # fmt: skip

LAST_NAMES = [
    "Albrecht", "Becker", "Çelik", "Dietrich", "Engel", "Fischer", "Graf", "Hoffmann",
    "Ivanova", "Jansen", "Krüger", "Lange", "Müller", "Nowak", "Özdemir", "Peters",
    "Richter", "Schulz", "Tran", "Wagner",
]  # fmt: skip

ORGANISATIONS = [
    "Kiezladen",
    "Nachbarschaftsverein",
    "Software-Genossenschaft",
    "Fahrradinitiative",
    "Elternbeirat",
    "Start-up",
]

COMMENTS = [
    "Gute Idee, das würde vielen helfen!",
    "Wie wird sichergestellt, dass auch Menschen ohne Smartphone den Dienst nutzen können?",
    "Ich habe den Prototyp getestet: die Suche war schnell, das Formular noch zu lang.",
    "Gibt es schon einen Termin für die nächste Testrunde?",
    "Bitte denkt an die Übersetzung in weitere Sprachen.",
    "Danke für die offene Dokumentation, so lässt sich gut mitreden.",
    "Im Bezirk machen wir ähnliche Erfahrungen; gern tauschen wir uns aus.",
    "Die Daten wären auch für die Forschung sehr wertvoll.",
]

PROPOSAL_TITLES = [
    "Sitzbänke mit Schatten an Bushaltestellen",
    "Bürgeramtstermine per SMS erinnern",
    "Offene Daten zu Spielplätzen",
    "Trinkbrunnen auf einer Karte",
    "Sperrmüll online anmelden",
    "Baustellen früher ankündigen",
    "Leichte Sprache für Bescheide",
    "Freie Kita-Plätze live anzeigen",
]
