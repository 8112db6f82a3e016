namespace EncDec.Data.Synthetic;

/// <summary>
/// Semantic classes of nouns: verbs, adjectives and prepositions name the classes they combine with, so that the
/// grammar says "the girl eats an apple" and "the cat is under the table" but never "the table eats the girl".
/// </summary>
[Flags]
public enum NounClass
{
    /// <summary>No class (a verb without an object).</summary>
    None = 0,

    /// <summary>People: man, teacher, sister.</summary>
    Person = 1 << 0,

    /// <summary>Animals: cat, horse, bird.</summary>
    Animal = 1 << 1,

    /// <summary>Prepared food: bread, cake, soup.</summary>
    Food = 1 << 2,

    /// <summary>Fruit and vegetables: apple, banana, tomato.</summary>
    Fruit = 1 << 3,

    /// <summary>Drinks, always singular and never counted: water, milk, coffee.</summary>
    Drink = 1 << 4,

    /// <summary>Things written and read: book, letter, newspaper.</summary>
    Readable = 1 << 5,

    /// <summary>Portable objects: key, bag, hat.</summary>
    Thing = 1 << 6,

    /// <summary>Furniture, which things lie on and under: table, bed, chair.</summary>
    Furniture = 1 << 7,

    /// <summary>Vehicles: car, bike, train.</summary>
    Vehicle = 1 << 8,

    /// <summary>Places one is in: house, garden, kitchen.</summary>
    Place = 1 << 9,

    /// <summary>Places one goes to, arrives at and comes from (French <c>à</c>/<c>de</c>): school, market, station.</summary>
    Destination = 1 << 10,

    /// <summary>Outdoor landmarks one is near, under or behind: tree, bridge, wall.</summary>
    Landmark = 1 << 11,

    /// <summary>Things listened to: music, song, radio.</summary>
    Audible = 1 << 12,

    /// <summary>Things that open and close: door, window, box.</summary>
    Openable = 1 << 13,

    /// <summary>Things watched: film, match.</summary>
    Show = 1 << 14,

    /// <summary>People and animals.</summary>
    Animate = Person | Animal,
}
