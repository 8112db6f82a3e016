using EncDec.Tensors;

namespace EncDec.Autograd;

/// <summary>
/// Reverse-mode sweep: orders the recorded graph topologically (iterative depth-first search, so
/// deep graphs such as long RNN unrolls cannot overflow the stack) and calls each operation's
/// backward from the loss towards the leaves. Reuses its work lists, so a sweep allocates nothing.
/// </summary>
internal static class BackwardPass
{
    [ThreadStatic] private static List<Tensor>? t_order;
    [ThreadStatic] private static Stack<(Tensor Node, bool Expanded)>? t_stack;
    private static int s_stamp;

    public static void Run(Tensor root)
    {
        var order = t_order ??= new List<Tensor>(1024);
        var stack = t_stack ??= new Stack<(Tensor, bool)>(1024);
        order.Clear();
        int stamp = Interlocked.Increment(ref s_stamp);
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (node, expanded) = stack.Pop();
            if (expanded) { order.Add(node); continue; }
            if (node.VisitStamp == stamp) continue;
            node.VisitStamp = stamp;
            stack.Push((node, true));
            PushInput(stack, node.Input0, stamp);
            PushInput(stack, node.Input1, stamp);
            PushInput(stack, node.Input2, stamp);
            if (node.Context is Tensor[] many)
                foreach (var input in many) PushInput(stack, input, stamp);
        }
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            if (node.Creator is not null && node.Grad is not null) node.Creator.Backward(node);
        }
        order.Clear();
    }

    private static void PushInput(Stack<(Tensor, bool)> stack, Tensor? input, int stamp)
    {
        if (input is not null && input.RequiresGrad && input.VisitStamp != stamp) stack.Push((input, false));
    }
}
