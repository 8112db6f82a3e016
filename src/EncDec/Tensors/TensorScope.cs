namespace EncDec.Tensors;

/// <summary>
/// An arena for the tensors of one step (a training step, a decoding step). Every tensor created
/// while the scope is open (outputs, views, gradients of those) is recycled, storage and object,
/// when it is disposed; this is what makes a steady loop allocate nothing. Tensors created outside
/// any scope (parameters, and parameter gradients) are ordinary long-lived objects.
/// <code>
/// using (TensorScope.Begin())
/// {
///     var loss = model.Loss(batch);   // intermediates are scoped
///     loss.Backward();                // parameter gradients are not
///     optimizer.Step();
/// }
/// </code>
/// Scopes nest and belong to the thread that opened them. A reference to a scoped tensor must not
/// be used after its scope ends; take results out with <see cref="Keep"/>.
/// </summary>
public readonly struct TensorScope : IDisposable
{
    [ThreadStatic] private static List<Tensor>? t_live;
    [ThreadStatic] private static Stack<Tensor>? t_free;
    [ThreadStatic] private static int t_depth;

    private readonly int _mark;
    private readonly int _depth;

    private TensorScope(int mark, int depth)
    {
        _mark = mark;
        _depth = depth;
    }

    /// <summary>True when a scope is open on this thread.</summary>
    public static bool IsActive => t_depth > 0;

    /// <summary>Opens a scope on this thread.</summary>
    public static TensorScope Begin()
    {
        t_live ??= new List<Tensor>(1024);
        t_depth++;
        return new TensorScope(t_live.Count, t_depth);
    }

    /// <summary>A dense copy of <paramref name="tensor"/> that outlives every scope (no autograd history).</summary>
    public static Tensor Keep(Tensor tensor)
    {
        var kept = Tensor.Allocate(tensor.Shape, persistent: true);
        StridedCopy.ToDense(tensor, kept.AsSpan());
        kept.Name = tensor.Name;
        return kept;
    }

    /// <summary>Recycles every tensor created since <see cref="Begin"/>.</summary>
    public void Dispose()
    {
        if (_depth == 0) return;
        if (_depth != t_depth)
            throw new InvalidOperationException(
                $"TensorScope disposed out of order (depth {_depth}, innermost open {t_depth}); scopes must nest");
        var live = t_live!;
        var free = t_free ??= new Stack<Tensor>(1024);
        for (int i = live.Count - 1; i >= _mark; i--)
        {
            live[i].Release();
            free.Push(live[i]);
        }
        live.RemoveRange(_mark, live.Count - _mark);
        t_depth--;
    }

    internal static Tensor RentTensor()
    {
        var free = t_free ??= new Stack<Tensor>(1024);
        var tensor = free.Count > 0 ? free.Pop() : new Tensor();
        tensor.IsScoped = true;
        t_live!.Add(tensor);
        return tensor;
    }
}
