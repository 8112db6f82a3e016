using System.Runtime.ExceptionServices;
using EncDec.Data;

namespace EncDec.Cli.Commands;

/// <summary>Turns one input line (raw bytes) into its output line, without the '\n'; one instance per worker.</summary>
internal interface ILineTransform
{
    /// <summary>Appends the output for <paramref name="line"/>, whose 1-based number is <paramref name="lineNumber"/>.</summary>
    void Transform(ReadOnlySpan<byte> line, long lineNumber, LineOutputBuffer output);
}

/// <summary>
/// Streams lines through an <see cref="ILineTransform"/>, one output line per input line, in input order: the input
/// is read in batches of at most <see cref="LinesPerBatch"/> lines (or about <see cref="BytesPerBatch"/> bytes),
/// batches are transformed on up to <c>threads</c> workers, and each batch is written whole as soon as every
/// batch before it is. Memory is bounded by the batches in flight, never by the input's length.
/// </summary>
/// <remarks>
/// An exception in a line (say, a malformed one) surfaces when its batch's turn to be written comes, after every line
/// before it has been written, those of its own batch included; later lines are discarded.
/// </remarks>
internal static class LinePipeline
{
    /// <summary>The most lines in one batch: enough to amortise a hand-off, few enough to keep latency low.</summary>
    public const int LinesPerBatch = 2048;

    /// <summary>A batch stops taking lines once it holds this many bytes.</summary>
    public const int BytesPerBatch = 1 << 18;

    /// <summary>Reads <paramref name="input"/> to its end, writing each line's transform and '\n' to <paramref name="output"/>, then flushes.</summary>
    /// <param name="input">The raw input (not decoded: malformed UTF-8 reaches the transform as it is).</param>
    /// <param name="output">Where the lines go.</param>
    /// <param name="threads">Workers transforming batches (1: everything on the calling thread).</param>
    /// <param name="createTransform">Makes one transform per batch buffer, so transforms may keep scratch state.</param>
    /// <param name="inputName">Names the input in errors (a line too long to read).</param>
    /// <param name="maxLineBytes">The longest line read.</param>
    public static void Run(Stream input, TextWriter output, int threads, Func<ILineTransform> createTransform, string inputName,
        int maxLineBytes = LineReader.MaxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        using var reader = LineReader.FromStream(input, inputName, LineSplitting.Raw, maxLineBytes: maxLineBytes);
        try
        {
            if (threads == 1) RunSerial(reader, output, createTransform());
            else RunParallel(reader, output, threads, createTransform);
        }
        catch
        {
            FlushQuietly(output);    // the lines before the error are written, then the error is reported
            throw;
        }
        output.Flush();
    }

    private static void FlushQuietly(TextWriter output)
    {
        try
        {
            output.Flush();
        }
        catch (IOException)
        {
            // The error being reported matters more than the output lost with it.
        }
    }

    private static void RunSerial(LineReader reader, TextWriter output, ILineTransform transform)
    {
        var batch = new Batch(transform);
        while (batch.Fill(reader))
        {
            batch.Transform();
            batch.Write(output);
        }
    }

    private static void RunParallel(LineReader reader, TextWriter output, int threads, Func<ILineTransform> createTransform)
    {
        var inFlight = new Queue<Task<Batch>>();
        var free = new Stack<Batch>();
        try
        {
            while (true)
            {
                var batch = free.Count > 0 ? free.Pop() : new Batch(createTransform());
                if (!batch.Fill(reader)) break;
                inFlight.Enqueue(Task.Run(() => { batch.Transform(); return batch; }));
                if (batch.ReadFailed) break;    // its error comes when its turn to be written does
                if (inFlight.Count >= threads) free.Push(WriteOldest(inFlight, output));
            }
            while (inFlight.Count > 0) WriteOldest(inFlight, output);
        }
        finally
        {
            // On an error, let the other batches finish before their buffers are dropped.
            foreach (var task in inFlight) task.ContinueWith(_ => { }, TaskScheduler.Default).Wait();
        }
    }

    private static Batch WriteOldest(Queue<Task<Batch>> inFlight, TextWriter output)
    {
        var batch = inFlight.Dequeue().GetAwaiter().GetResult();
        batch.Write(output);
        return batch;
    }

    /// <summary>A copy of consecutive input lines and the text they become.</summary>
    private sealed class Batch(ILineTransform transform)
    {
        private byte[] bytes = new byte[BytesPerBatch + 4096];
        private readonly int[] ends = new int[LinesPerBatch];
        private int count;
        private long firstLine;
        private ExceptionDispatchInfo? failure, readFailure;

        private readonly LineOutputBuffer output = new();

        /// <summary>Copies the next lines from <paramref name="reader"/>; false when there were none. A line that cannot
        /// be read ends the batch: its error is kept for <see cref="Write"/>, after the lines before it.</summary>
        public bool Fill(LineReader reader)
        {
            count = 0;
            readFailure = null;
            int used = 0;
            try
            {
                while (count < LinesPerBatch && used < BytesPerBatch && reader.MoveNext())
                {
                    var line = reader.Line;
                    if (count == 0) firstLine = reader.Number;
                    if (bytes.Length - used < line.Length) Array.Resize(ref bytes, Math.Max(bytes.Length * 2, used + line.Length));
                    line.CopyTo(bytes.AsSpan(used));
                    used += line.Length;
                    ends[count++] = used;
                }
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                readFailure = ExceptionDispatchInfo.Capture(e);
            }
            return count > 0 || ReadFailed;
        }

        /// <summary>Whether reading stopped at a line that could not be read (nothing after it is read).</summary>
        public bool ReadFailed => readFailure is not null;

        /// <summary>Transforms the lines into the batch's output, each followed by '\n', up to the first line whose
        /// transform fails: its partial output is dropped and its exception kept for <see cref="Write"/>.</summary>
        public void Transform()
        {
            output.Clear();
            failure = null;
            int start = 0;
            for (int i = 0; i < count; i++)
            {
                int before = output.Length;
                try
                {
                    transform.Transform(bytes.AsSpan(start, ends[i] - start), firstLine + i, output);
                }
                catch (Exception e)
                {
                    output.Truncate(before);
                    failure = ExceptionDispatchInfo.Capture(e);
                    return;
                }
                output.Append('\n');
                start = ends[i];
            }
            failure = readFailure;
        }

        /// <summary>Writes the lines transformed, then rethrows the failure that stopped the batch, if any.</summary>
        public void Write(TextWriter writer)
        {
            writer.Write(output.Written);
            failure?.Throw();
        }
    }
}
