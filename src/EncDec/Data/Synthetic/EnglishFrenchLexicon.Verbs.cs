using static EncDec.Data.Synthetic.NounClass;

namespace EncDec.Data.Synthetic;

public static partial class EnglishFrenchLexicon
{
    private const NounClass Located = Animate | Thing | Readable | Vehicle | Food | Fruit | Openable;
    private const NounClass Site = Place | Destination | Furniture | Vehicle | Landmark;

    // Where something is: the complements of be and of most activity verbs.
    private static PrepositionEntry[] BuildLocations() =>
    [
        new("in", "dans", Place | Vehicle),
        new("on", "sur", Furniture),
        new("under", "sous", Furniture | Vehicle | Landmark),
        new("near", "près de", Site),
        new("behind", "derrière", Site),
        new("in front of", "devant", Site),
        new("next to", "à côté de", Site),
    ];

    private static FrenchVerb R(string infinitive) => FrenchVerb.Regular(infinitive);

    private static VerbEntry[] BuildVerbs()
    {
        PrepositionEntry[] none = [], at = [new("at", "à", Destination)];
        return
        [
            new("have", "has", "had", "having", Avoir, Person, Animal | Thing | Vehicle | Readable | Furniture | Openable, none, Stative: true),
            new("like", "likes", "liked", "liking", R("aimer"), Person,
                Animate | Food | Fruit | Drink | Thing | Vehicle | Place | Destination | Audible | Show | Readable, none, Stative: true),
            new("eat", "eats", "ate", "eating", R("manger"), Animate, Food | Fruit, LocationList),
            new("drink", "drinks", "drank", "drinking",
                FrenchVerb.Irregular("boire", "bois bois boit buvons buvez boivent", "buv", "boir", "bu"), Animate, Drink, LocationList),
            new("see", "sees", "saw", "seeing", FrenchVerb.Irregular("voir", "vois vois voit voyons voyez voient", "voy", "verr", "vu"),
                Animate, Animate | Thing | Vehicle | Site | Place | Readable | Show, none),
            new("watch", "watches", "watched", "watching", R("regarder"), Person, Show | Animate | Vehicle, none),
            new("take", "takes", "took", "taking",
                FrenchVerb.Irregular("prendre", "prends prends prend prenons prenez prennent", "pren", "prendr", "pris"),
                Person, Thing | Vehicle | Readable | Food | Fruit, none),
            new("make", "makes", "made", "making", FrenchVerb.Irregular("faire", "fais fais fait faisons faites font", "fais", "fer", "fait"),
                Person, Food, LocationList),
            new("buy", "buys", "bought", "buying",
                FrenchVerb.Irregular("acheter", "achète achètes achète achetons achetez achètent", "achet", "achèter", "acheté"),
                Person, Food | Fruit | Thing | Vehicle | Readable | Furniture, at),
            new("write", "writes", "wrote", "writing",
                FrenchVerb.Irregular("écrire", "écris écris écrit écrivons écrivez écrivent", "écriv", "écrir", "écrit"),
                Person, Readable, LocationList),
            new("open", "opens", "opened", "opening",
                FrenchVerb.Irregular("ouvrir", "ouvre ouvres ouvre ouvrons ouvrez ouvrent", "ouvr", "ouvrir", "ouvert"), Person, Openable, none),
            new("close", "closes", "closed", "closing", R("fermer"), Person, Openable, none),
            new("find", "finds", "found", "finding", R("trouver"), Animate, Thing | Animal | Readable | Food | Fruit, LocationList),
            new("look for", "looks for", "looked for", "looking for", R("chercher"), Animate, Thing | Animate | Readable, none, Particle: "for"),
            new("give", "gives", "gave", "giving", R("donner"), Person, Thing | Food | Fruit | Readable, [new("to", "à", Animate)]),
            new("show", "shows", "showed", "showing", R("montrer"), Person, Thing | Readable | Animal, [new("to", "à", Person)]),
            new("wash", "washes", "washed", "washing", R("laver"), Person, Vehicle | Thing | Furniture | Animal | Fruit, none),
            new("carry", "carries", "carried", "carrying", R("porter"), Person, Thing | Readable | Food | Fruit, none),
            new("listen to", "listens to", "listened to", "listening to", R("écouter"), Animate, Audible, LocationList, Particle: "to"),
            new("help", "helps", "helped", "helping", R("aider"), Person, Person, none),
            new("visit", "visits", "visited", "visiting", R("visiter"), Person, Destination, none),
            new("sleep", "sleeps", "slept", "sleeping",
                FrenchVerb.Irregular("dormir", "dors dors dort dormons dormez dorment", "dorm", "dormir", "dormi"), Animate, None, LocationList),
            new("play", "plays", "played", "playing", R("jouer"), Animate, None, LocationList),
            new("work", "works", "worked", "working", R("travailler"), Person, None, LocationList),
            new("sing", "sings", "sang", "singing", R("chanter"), Person, None, LocationList),
            new("dance", "dances", "danced", "dancing", R("danser"), Person, None, LocationList),
            new("walk", "walks", "walked", "walking", R("marcher"), Animate, None, LocationList),
            new("swim", "swims", "swam", "swimming", R("nager"), Animate, None, [new("in", "dans", Place)]),
            new("speak", "speaks", "spoke", "speaking", R("parler"), Person, None,
                [new("to", "à", Person), new("about", "de", Animate | Thing | Show | Readable | Destination | Vehicle)]),
            new("go", "goes", "went", "going", FrenchVerb.Irregular("aller", "vais vas va allons allez vont", "all", "ir", "allé"),
                Animate, None, [new("to", "à", Destination)], ComplementRequired: true),
            new("come", "comes", "came", "coming",
                FrenchVerb.Irregular("venir", "viens viens vient venons venez viennent", "ven", "viendr", "venu"),
                Animate, None, [new("from", "de", Destination)], ComplementRequired: true),
            new("arrive", "arrives", "arrived", "arriving", R("arriver"), Animate, None, at),
            new("stay", "stays", "stayed", "staying", R("rester"), Animate, None, LocationList),
            new("fall", "falls", "fell", "falling", R("tomber"), Animate | Thing | Readable, None, LocationList),
            new("enter", "enters", "entered", "entering", R("entrer"), Animate, Place | Vehicle, none, FrenchObjectPreposition: "dans"),
        ];
    }

    /// <summary>French verbs conjugated with être in the passé composé (their participle agrees with the subject).</summary>
    private static readonly HashSet<string> EtreVerbs = new(StringComparer.Ordinal) { "aller", "venir", "arriver", "rester", "tomber", "entrer" };

    private static AdjectiveEntry[] BuildAdjectives() =>
    [
        new("red", "rouge", "rouge", "rouges", "rouges", false, Thing | Vehicle | Furniture | Fruit | Readable | Openable, IsColour: true),
        new("green", "vert", "verte", "verts", "vertes", false, Thing | Vehicle | Furniture | Fruit | Openable, IsColour: true),
        new("blue", "bleu", "bleue", "bleus", "bleues", false, Thing | Vehicle | Furniture | Readable | Openable, IsColour: true),
        new("black", "noir", "noire", "noirs", "noires", false, Animal | Thing | Vehicle | Furniture | Openable, IsColour: true),
        new("white", "blanc", "blanche", "blancs", "blanches", false, Animal | Thing | Vehicle | Furniture | Openable, IsColour: true),
        new("yellow", "jaune", "jaune", "jaunes", "jaunes", false, Thing | Vehicle | Fruit | Openable, IsColour: true),
        new("grey", "gris", "grise", "gris", "grises", false, Animal | Thing | Vehicle | Furniture | Openable, IsColour: true),
        new("happy", "heureux", "heureuse", "heureux", "heureuses", false, Animate),
        new("sad", "triste", "triste", "tristes", "tristes", false, Animate),
        new("tired", "fatigué", "fatiguée", "fatigués", "fatiguées", false, Animate),
        new("hungry", "affamé", "affamée", "affamés", "affamées", false, Animate),
        new("intelligent", "intelligent", "intelligente", "intelligents", "intelligentes", false, Animate),
        new("delicious", "délicieux", "délicieuse", "délicieux", "délicieuses", false, Food | Fruit | Drink),
        new("hot", "chaud", "chaude", "chauds", "chaudes", false, Food | Drink),
        new("cold", "froid", "froide", "froids", "froides", false, Food | Drink),
        new("fresh", "frais", "fraîche", "frais", "fraîches", false, Food | Fruit | Drink),
        new("expensive", "cher", "chère", "chers", "chères", false, Thing | Vehicle | Furniture | Readable),
        new("clean", "propre", "propre", "propres", "propres", false, Thing | Vehicle | Furniture | Place | Openable),
        new("dirty", "sale", "sale", "sales", "sales", false, Thing | Vehicle | Furniture | Place | Openable),
        new("fast", "rapide", "rapide", "rapides", "rapides", false, Animal | Vehicle),
        new("slow", "lent", "lente", "lents", "lentes", false, Animal | Vehicle),
        new("quiet", "calme", "calme", "calmes", "calmes", false, Place | Destination | Animate),
        new("noisy", "bruyant", "bruyante", "bruyants", "bruyantes", false, Place | Destination | Animate | Vehicle),
        new("famous", "célèbre", "célèbre", "célèbres", "célèbres", false, Person | Destination | Readable | Show | Landmark),
        new("interesting", "intéressant", "intéressante", "intéressants", "intéressantes", false, Person | Readable | Show | Destination),
        new("big", "grand", "grande", "grands", "grandes", true, Animal | Thing | Vehicle | Furniture | Place | Destination | Landmark | Openable),
        new("small", "petit", "petite", "petits", "petites", true, Animate | Thing | Vehicle | Furniture | Place | Destination | Landmark | Openable | Fruit | Food),
        new("beautiful", "beau", "belle", "beaux", "belles", true, Animate | Thing | Vehicle | Place | Destination | Landmark | Furniture, "bel"),
        new("young", "jeune", "jeune", "jeunes", "jeunes", true, Animate),
        new("old", "vieux", "vieille", "vieux", "vieilles", true, Animate | Thing | Vehicle | Furniture | Place | Destination | Landmark | Readable, "vieil"),
        new("good", "bon", "bonne", "bons", "bonnes", true, Food | Fruit | Drink | Readable | Show | Person),
        new("bad", "mauvais", "mauvaise", "mauvais", "mauvaises", true, Food | Drink | Readable | Show),
        new("new", "nouveau", "nouvelle", "nouveaux", "nouvelles", true, Thing | Vehicle | Furniture | Readable | Destination | Show | Person, "nouvel"),
        new("pretty", "joli", "jolie", "jolis", "jolies", true, Thing | Place | Destination | Landmark | Openable | Animal),
        new("long", "long", "longue", "longs", "longues", true, Readable | Show | Place),
    ];

    private static AdverbEntry[] BuildAdverbs() =>
    [
        new("today", "aujourd'hui", [Tense.Present, Tense.Past, Tense.Future]),
        new("yesterday", "hier", [Tense.Past, Tense.PastProgressive]),
        new("tomorrow", "demain", [Tense.Future]),
        new("every day", "tous les jours", [Tense.Present]),
        new("every morning", "tous les matins", [Tense.Present]),
        new("last week", "la semaine dernière", [Tense.Past]),
        new("next week", "la semaine prochaine", [Tense.Future]),
    ];
}
