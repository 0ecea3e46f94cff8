using Ppo.Randomness;

namespace Ppo.Samples.RlhfTransformer;

/// <summary>
/// The generated language of the sample: product and venue reviews over ten topics, with a grammar, a sentiment and a
/// hidden rule by which people rate a review. A prompt names a topic ("hotel review :"); a response is one or two
/// sentences of clauses "the NOUN was [MODIFIER] ADJECTIVE", joined by "and" (same sentiment) or "but" (the opposite),
/// and sometimes a verdict ("overall it was …" or "i would [not] recommend it"), then the end token.
/// </summary>
/// <remarks>
/// The tokenizer is word-level (<see cref="Encode"/>, <see cref="Decode"/>): the language is generated from a closed
/// list of words, each a unit of meaning the grammar and the rating use, so one token per word is exact. A BPE
/// vocabulary such as GPT-2's (which <c>Microsoft.ML.Tokenizers</c> ships) would spend 50,257 embedding and output rows
/// on a language of a few hundred words, and merge nothing useful.
/// </remarks>
public static class ReviewLanguage
{
    public const int Padding = 0;
    public const int End = 1;
    public const int MaxResponseLength = 20;
    public const double MoodConsistency = 0.85;
    public const double IllFormedRating = -10;
    public const double OffTopicPenalty = 3;
    public const double RepeatedNounPenalty = 1;

    private static readonly string[] Topics = ["restaurant", "hotel", "phone", "laptop", "movie", "book", "game", "camera", "car", "concert"];

    private static readonly string[][] TopicNouns =
    [
        ["food", "service", "staff", "menu", "dessert", "wine", "waiter", "pasta", "soup", "pizza", "bread", "coffee", "kitchen", "portions"],
        ["room", "bed", "pool", "lobby", "breakfast", "view", "shower", "reception", "location", "elevator", "towels", "balcony", "gym", "spa"],
        ["screen", "battery", "charger", "speaker", "microphone", "signal", "apps", "case", "buttons", "software", "storage", "sensor", "notifications", "ringtone"],
        ["keyboard", "trackpad", "fan", "hinge", "processor", "memory", "ports", "webcam", "lid", "chassis", "drive", "graphics", "adapter", "bios"],
        ["plot", "acting", "soundtrack", "ending", "script", "director", "cast", "dialogue", "effects", "pacing", "villain", "hero", "cinematography", "sequel"],
        ["story", "writing", "characters", "chapters", "prose", "author", "cover", "narrator", "twist", "setting", "translation", "index", "pages", "epilogue"],
        ["levels", "controls", "multiplayer", "quests", "boss", "puzzles", "map", "music", "menus", "servers", "weapons", "physics", "campaign", "tutorial"],
        ["lens", "autofocus", "shutter", "flash", "viewfinder", "zoom", "tripod", "strap", "grip", "stabilizer", "mount", "dial", "aperture", "firmware"],
        ["engine", "brakes", "seats", "steering", "gearbox", "dashboard", "trunk", "tires", "headlights", "radio", "mileage", "suspension", "heater", "mirrors"],
        ["band", "singer", "drummer", "crowd", "venue", "sound", "lighting", "setlist", "encore", "tickets", "stage", "guitarist", "opener", "merch"],
    ];

    /// <summary>Positive adjectives, the first <see cref="StrongAdjectives"/> of them strong (worth 2, the others 1).</summary>
    private static readonly string[] PositiveAdjectives =
        ["great", "excellent", "wonderful", "amazing", "fantastic", "superb", "perfect", "brilliant", "good", "lovely", "delightful", "pleasant", "solid", "nice", "fresh", "friendly", "impressive", "smooth", "charming", "reliable"];

    private static readonly string[] NegativeAdjectives =
        ["terrible", "awful", "horrible", "dreadful", "appalling", "atrocious", "abysmal", "dismal", "bad", "poor", "bland", "rude", "slow", "dirty", "broken", "noisy", "flimsy", "boring", "weak", "mediocre"];

    private const int StrongAdjectives = 8;

    private static readonly string[] Modifiers = ["very", "really", "quite", "rather", "not"];

    private static readonly string[] FunctionWords = ["review", ":", "the", "was", "and", "but", ".", "overall", "it", "i", "would", "recommend"];

    private static readonly string[] Words = BuildWords();
    private static readonly Dictionary<string, int> Ids = BuildIds();

    public static int VocabularySize => Words.Length;

    public static int TopicCount => Topics.Length;

    public static int PromptLength => 3;

    public static string TopicName(int topic) => Topics[topic];

    /// <summary>The prompt of a topic: "TOPIC review :".</summary>
    public static int[] Prompt(int topic) => [Ids[Topics[topic]], Ids["review"], Ids[":"]];

    public static int[] Encode(string text)
    {
        string[] words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int[] tokens = new int[words.Length];
        for (int i = 0; i < words.Length; i++)
            tokens[i] = Ids.TryGetValue(words[i], out int id) ? id : throw new ArgumentException($"'{words[i]}' is not a word of the review language.", nameof(text));
        return tokens;
    }

    public static string Decode(ReadOnlySpan<int> tokens)
    {
        var words = new string[tokens.Length];
        for (int i = 0; i < tokens.Length; i++)
            words[i] = Words[tokens[i]];
        return string.Join(' ', words);
    }

    /// <summary>Writes one corpus review of <paramref name="topic"/>, ending with the end token, at most <see cref="MaxResponseLength"/> tokens.</summary>
    public static int[] WriteCorpusReview(int topic, SeededRandom random)
    {
        while (true)
        {
            bool positive = random.NextDouble() < 0.5;
            var words = new List<string>();
            var used = new HashSet<int>();
            int sentences = random.NextDouble() < 0.6 ? 1 : 2;
            for (int s = 0; s < sentences; s++)
            {
                bool clausePositive = random.NextDouble() < MoodConsistency ? positive : !positive;
                WriteClause(words, topic, clausePositive, used, random);
                double join = random.NextDouble();
                if (join < 0.25)
                {
                    words.Add("and");
                    WriteClause(words, topic, clausePositive, used, random);
                }
                else if (join < 0.45)
                {
                    words.Add("but");
                    WriteClause(words, topic, !clausePositive, used, random);
                }

                words.Add(".");
            }

            double verdict = random.NextDouble();
            if (verdict < 0.3)
            {
                words.AddRange(["overall", "it", "was"]);
                AddAdjectivePhrase(words, positive, random);
                words.Add(".");
            }
            else if (verdict < 0.55)
            {
                words.AddRange(positive ? ["i", "would", "recommend", "it", "."] : ["i", "would", "not", "recommend", "it", "."]);
            }

            if (words.Count + 1 > MaxResponseLength)
                continue;
            int[] tokens = new int[words.Count + 1];
            for (int i = 0; i < words.Count; i++)
                tokens[i] = Ids[words[i]];
            tokens[^1] = End;
            return tokens;
        }
    }

    /// <summary>
    /// The hidden rule the people judge by. A response that breaks the grammar, or does not end with the end token,
    /// rates <see cref="IllFormedRating"/>. Otherwise its sentiment: each clause's adjective is worth ±1 (±2 for a
    /// strong one), doubled after "very" or "really", halved and flipped after "not"; "i would recommend it" is +2 and
    /// its negation −2; minus <see cref="OffTopicPenalty"/> for each noun of another topic and
    /// <see cref="RepeatedNounPenalty"/> for each noun said twice.
    /// </summary>
    public static double Rating(int topic, ReadOnlySpan<int> response)
    {
        var parser = new Parser(response);
        double rating = 0;
        var seen = new HashSet<int>();
        int sentences = 0;
        while (!parser.AtEnd)
        {
            if (sentences >= 1 && parser.Peek("overall"))
            {
                if (!parser.Accept("overall") || !parser.Accept("it") || !parser.Accept("was") || !parser.AdjectivePhrase(out double value) || !parser.Accept("."))
                    return IllFormedRating;
                rating += value;
            }
            else if (sentences >= 1 && parser.Peek("i"))
            {
                if (!parser.Accept("i") || !parser.Accept("would"))
                    return IllFormedRating;
                bool negated = parser.Accept("not");
                if (!parser.Accept("recommend") || !parser.Accept("it") || !parser.Accept("."))
                    return IllFormedRating;
                rating += negated ? -2 : 2;
            }
            else
            {
                if (!parser.Clause(topic, seen, ref rating))
                    return IllFormedRating;
                if (parser.Accept("and") || parser.Accept("but"))
                {
                    if (!parser.Clause(topic, seen, ref rating))
                        return IllFormedRating;
                }

                if (!parser.Accept("."))
                    return IllFormedRating;
            }

            sentences++;
        }

        return parser.Ended && sentences >= 1 ? rating : IllFormedRating;
    }

    /// <summary>Whether <paramref name="response"/> follows the grammar (whatever its sentiment).</summary>
    public static bool IsWellFormed(int topic, ReadOnlySpan<int> response) => Rating(topic, response) != IllFormedRating;

    /// <summary>The topic a prompt names.</summary>
    public static int TopicOf(ReadOnlySpan<int> prompt) => Array.IndexOf(Topics, Words[prompt[0]]);

    private static void WriteClause(List<string> words, int topic, bool positive, HashSet<int> used, SeededRandom random)
    {
        int noun;
        do
        {
            noun = random.NextInt(TopicNouns[topic].Length);
        }
        while (!used.Add(noun));
        words.AddRange(["the", TopicNouns[topic][noun], "was"]);
        AddAdjectivePhrase(words, positive, random);
    }

    private static void AddAdjectivePhrase(List<string> words, bool positive, SeededRandom random)
    {
        double modifier = random.NextDouble();
        bool negated = modifier < 0.1;
        if (negated)
            words.Add("not");
        else if (modifier < 0.45)
            words.Add(Modifiers[random.NextInt(4)]);
        string[] adjectives = positive != negated ? PositiveAdjectives : NegativeAdjectives;
        words.Add(adjectives[random.NextInt(adjectives.Length)]);
    }

    private static string[] BuildWords()
    {
        var words = new List<string> { "<pad>", "<end>" };
        words.AddRange(Topics);
        foreach (string[] nouns in TopicNouns)
            words.AddRange(nouns);
        words.AddRange(PositiveAdjectives);
        words.AddRange(NegativeAdjectives);
        words.AddRange(Modifiers);
        words.AddRange(FunctionWords);
        return [.. words];
    }

    private static Dictionary<string, int> BuildIds()
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Words.Length; i++)
        {
            if (!ids.TryAdd(Words[i], i))
                throw new InvalidOperationException($"The word '{Words[i]}' is listed twice.");
        }

        return ids;
    }

    /// <summary>A recursive-descent reader of one response, with the sentiment arithmetic of <see cref="Rating"/>.</summary>
    private ref struct Parser(ReadOnlySpan<int> tokens)
    {
        private readonly ReadOnlySpan<int> _tokens = tokens;
        private int _position;

        public readonly bool AtEnd => _position >= _tokens.Length || _tokens[_position] == End;

        public readonly bool Ended => _position == _tokens.Length - 1 && _tokens[_position] == End;

        public readonly bool Peek(string word) => _position < _tokens.Length && _tokens[_position] == Ids[word];

        public bool Accept(string word)
        {
            if (!Peek(word))
                return false;
            _position++;
            return true;
        }

        public bool Clause(int topic, HashSet<int> seen, ref double rating)
        {
            if (!Accept("the") || _position >= _tokens.Length)
                return false;
            int noun = _tokens[_position];
            int nounTopic = NounTopic(noun);
            if (nounTopic < 0)
                return false;
            _position++;
            if (!Accept("was") || !AdjectivePhrase(out double value))
                return false;
            rating += value;
            if (nounTopic != topic)
                rating -= OffTopicPenalty;
            if (!seen.Add(noun))
                rating -= RepeatedNounPenalty;
            return true;
        }

        public bool AdjectivePhrase(out double value)
        {
            value = 0;
            double factor = 1;
            if (Accept("not"))
                factor = -0.5;
            else if (Accept("very") || Accept("really"))
                factor = 2;
            else if (Accept("quite") || Accept("rather"))
                factor = 1;
            if (_position >= _tokens.Length)
                return false;
            string word = Words[_tokens[_position]];
            int positive = Array.IndexOf(PositiveAdjectives, word), negative = Array.IndexOf(NegativeAdjectives, word);
            if (positive < 0 && negative < 0)
                return false;
            _position++;
            double strength = (positive >= 0 ? positive : negative) < StrongAdjectives ? 2 : 1;
            value = factor * (positive >= 0 ? strength : -strength);
            return true;
        }

        private static int NounTopic(int token)
        {
            string word = Words[token];
            for (int topic = 0; topic < TopicNouns.Length; topic++)
            {
                if (Array.IndexOf(TopicNouns[topic], word) >= 0)
                    return topic;
            }

            return -1;
        }
    }
}
