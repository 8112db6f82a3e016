using System.CommandLine;
using System.Globalization;
using System.Text;
using EncDec.Data;
using EncDec.Text;

namespace EncDec.Cli.Commands;

/// <summary>
/// <c>encdec detokenize</c>: lines of pieces or ids back to text, one output line per input line, as SentencePiece's
/// <c>spm_decode --input_format=piece|id</c> does.
/// </summary>
/// <remarks>
/// Tokens are separated by spaces (ids also by tabs or '\r'); empty tokens are skipped, as <c>spm_decode</c> skips
/// them. An id that is not an integer inside the vocabulary, a piece a tokenizer without an unknown token does not
/// know, or a line that is not UTF-8 stops the command with exit code 2 naming the line and the token. With a
/// SentencePiece model, a piece that is not in the vocabulary (as <c>tokenize</c> writes a run of unknown text) is
/// copied as it is, as <c>spm_decode</c> copies it.
/// </remarks>
public static class DetokenizeCommand
{
    /// <summary>The <c>detokenize</c> command.</summary>
    public static Command Create()
    {
        var model = TokenizeCommand.ModelOption();
        var ids = new Option<bool>("--ids") { Description = "Read ids instead of pieces" };
        var input = TokenizeCommand.InputOption();
        var threads = TokenizeCommand.ThreadsOption();
        var detokenize = new Command("detokenize",
            "Join lines of pieces or ids (standard input, separated by spaces) back into text: one output line per " +
            "input line, as spm_decode writes them.\n" +
            "Example: encdec detokenize --model spiece.model --ids < train.ids > train.en")
        {
            model, ids, input, threads,
        };
        detokenize.SetAction(parse =>
        {
            var tokenizer = TokenizeCommand.LoadModel(parse.GetValue(model)!);
            string? inputPath = parse.GetValue(input);
            using var stream = TokenizeCommand.OpenInput(inputPath);
            var output = TokenizeCommand.BufferedOutput(parse.InvocationConfiguration.Output);
            Run(tokenizer, stream, output, parse.GetValue(ids), parse.GetValue(threads), inputPath ?? "<stdin>");
            return ExitCodes.Success;
        });
        return detokenize;
    }

    /// <summary>Detokenizes every line of <paramref name="input"/> to <paramref name="output"/>, in order, and flushes it.</summary>
    /// <param name="tokenizer">The tokenizer.</param>
    /// <param name="input">Lines of pieces or ids, split at '\n'.</param>
    /// <param name="output">One line of text per input line.</param>
    /// <param name="ids">Ids instead of pieces.</param>
    /// <param name="threads">Workers decoding batches of lines (the output order is the input order).</param>
    /// <param name="inputName">Names the input in error messages.</param>
    /// <exception cref="CliDataException">A token is not an id or piece of the vocabulary.</exception>
    /// <exception cref="InvalidDataException">A line is not UTF-8.</exception>
    public static void Run(ITokenizer tokenizer, Stream input, TextWriter output, bool ids, int threads = 1,
        string inputName = "<stdin>") =>
        LinePipeline.Run(input, output, threads, () => new LineTransform(tokenizer, ids, inputName), inputName);

    private sealed class LineTransform(ITokenizer tokenizer, bool ids, string inputName) : ILineTransform
    {
        private static readonly char[] IdSeparators = [' ', '\t', '\r'];
        private readonly List<int> idBuffer = [];
        private readonly PieceDecoder pieceDecoder = new(tokenizer);

        public void Transform(ReadOnlySpan<byte> line, long lineNumber, LineOutputBuffer output)
        {
            string text = LineReader.DecodeStrict(line, lineNumber, inputName);
            var tokens = text.Split(ids ? IdSeparators : [' '], StringSplitOptions.RemoveEmptyEntries);
            if (!ids)
            {
                output.Append(pieceDecoder.Decode(tokens, token => Unknown(lineNumber, token, "is not a piece of the vocabulary")));
                return;
            }
            idBuffer.Clear();
            foreach (string token in tokens)
            {
                if (!int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int id)
                    || (uint)id >= (uint)tokenizer.VocabularySize)
                    throw Unknown(lineNumber, token, $"is not an id of the vocabulary (0 to {tokenizer.VocabularySize - 1})");
                idBuffer.Add(id);
            }
            output.Append(tokenizer.Decode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(idBuffer)));
        }

        private CliDataException Unknown(long lineNumber, string token, string reason) =>
            new($"{inputName} line {lineNumber}: '{token}' {reason}");
    }

    /// <summary>
    /// Pieces to text as <c>spm_decode --input_format=piece</c>: pieces become ids (<c>PieceToId</c>) and are
    /// decoded, except that with SentencePiece a piece outside the vocabulary is copied as it is, like
    /// SentencePiece's <c>DecodeSentencePiece</c> copies an unknown piece that is not the unknown piece itself.
    /// </summary>
    private sealed class PieceDecoder(ITokenizer tokenizer)
    {
        private readonly SentencePieceProcessor? spm = tokenizer as SentencePieceProcessor;
        private readonly List<int> run = [];
        private int anchor = -2;    // see DecodeRun; -2: not looked for yet, -1: none

        public string Decode(string[] pieces, Func<string, Exception> notInVocabulary)
        {
            var text = new StringBuilder();
            run.Clear();
            foreach (string piece in pieces)
            {
                int id = tokenizer.PieceToId(piece);
                if (id < 0) throw notInVocabulary(piece);
                if (spm is null || id != spm.UnknownId || piece == spm.IdToPiece(id))
                {
                    run.Add(id);
                    continue;
                }
                DecodeRun(text);
                text.Append(piece);
            }
            DecodeRun(text);
            return text.ToString();
        }

        // Decoding drops the leading space of the first piece only while the text is empty. A run after copied text
        // is decoded behind an anchor piece (one with no leading "▁"), whose text is then cut off again, so the
        // decoder sees the same non-empty text before the run as SentencePiece does.
        private void DecodeRun(StringBuilder text)
        {
            if (run.Count == 0) return;
            var ids = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(run);
            if (text.Length == 0 || FindAnchor() is not (>= 0 and var anchorId))
            {
                text.Append(tokenizer.Decode(ids));
            }
            else
            {
                string anchorText = tokenizer.Decode([anchorId]);
                text.Append(tokenizer.Decode([anchorId, .. ids]).AsSpan(anchorText.Length));
            }
            run.Clear();
        }

        private int FindAnchor()
        {
            if (anchor != -2 || spm is null) return anchor;
            anchor = -1;
            for (int id = 0; id < spm.VocabularySize && anchor < 0; id++)
            {
                if (spm.GetPieceType(id) != SentencePieceType.Normal) continue;
                string piece = spm.IdToPiece(id);
                if (!piece.StartsWith('\u2581') && spm.Decode([id]) == piece) anchor = id;
            }
            return anchor;
        }
    }
}
