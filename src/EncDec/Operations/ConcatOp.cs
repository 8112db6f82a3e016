using System.Buffers;
using EncDec.Autograd;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// y = the inputs joined along one axis; all other dimensions must agree. Backward: each input's
/// gradient += its slice of dy. Up to three inputs are recorded in Input0..2; more go, all of them,
/// in a Tensor[] rented from the shared ArrayPool (Context, with the count in Int1), which the
/// backward sweep traverses as extra inputs and <see cref="OnRelease"/> returns to the pool.
/// </summary>
internal sealed class ConcatOp : Operation
{
    public static readonly ConcatOp Instance = new();
    public override string Name => "Concat";

    public static Tensor Forward(ReadOnlySpan<Tensor> inputs, int axis)
    {
        int a = Validate(inputs, axis);
        Span<int> shape = stackalloc int[inputs[0].Rank];
        inputs[0].Shape.CopyTo(shape);
        shape[a] = 0;
        foreach (var input in inputs) shape[a] += input.Shape[a];
        var y = Tensor.Allocate(shape);
        Span<int> strides = stackalloc int[shape.Length];
        ShapeMath.RowMajorStrides(shape, strides);
        int start = 0;
        foreach (var input in inputs)
        {
            StridedCopy.Copy(input.Shape, y.AsSpan(), strides, start * strides[a], input.Storage.AsSpan(), input.Strides, input.Offset);
            start += input.Shape[a];
        }
        Record(y, inputs, a);
        return y;
    }

    public override void Backward(Tensor y)
    {
        var dy = y.Grad!.AsSpan();
        int a = y.Int0, count = y.Int1;
        var many = y.Context as Tensor[];
        Span<int> inputStrides = stackalloc int[y.Rank];
        int start = 0;
        for (int i = 0; i < count; i++)
        {
            var input = many is not null ? many[i] : i == 0 ? y.Input0! : i == 1 ? y.Input1! : y.Input2!;
            if (input.RequiresGrad)
            {
                ShapeMath.RowMajorStrides(input.Shape, inputStrides);
                StridedCopy.Accumulate(input.Shape, input.GradBuffer(), inputStrides, 0, dy, y.Strides, start * y.Strides[a]);
            }
            start += input.Shape[a];
        }
    }

    public override void OnRelease(Tensor output)
    {
        if (output.Context is Tensor[] many) ArrayPool<Tensor>.Shared.Return(many, clearArray: true);
    }

    private static void Record(Tensor y, ReadOnlySpan<Tensor> inputs, int axis)
    {
        if (inputs.Length <= 3)
        {
            if (!y.Record(Instance, inputs[0], inputs.Length > 1 ? inputs[1] : null, inputs.Length > 2 ? inputs[2] : null)) return;
        }
        else
        {
            int first = -1;
            for (int i = 0; i < inputs.Length && first < 0; i++) if (inputs[i].RequiresGrad) first = i;
            if (first < 0 || !y.Record(Instance, inputs[first])) return;
            var many = ArrayPool<Tensor>.Shared.Rent(inputs.Length);
            inputs.CopyTo(many);
            many.AsSpan(inputs.Length).Clear();              // the pool may hand out a longer array
            y.Input0 = null;                                 // every input is in the array, once
            y.Context = many;
        }
        y.Int0 = axis;
        y.Int1 = inputs.Length;
    }

    private static int Validate(ReadOnlySpan<Tensor> inputs, int axis)
    {
        if (inputs.IsEmpty) throw new ArgumentException("Concat: needs at least one tensor", nameof(inputs));
        var first = inputs[0];
        int a = ShapeMath.NormalizeAxis("Concat", axis, first.Rank);
        for (int i = 1; i < inputs.Length; i++)
        {
            var shape = inputs[i].Shape;
            if (shape.Length != first.Rank)
                throw new ShapeMismatchException("Concat", first.Shape, shape, $"input {i} has rank {shape.Length}, input 0 has rank {first.Rank}");
            for (int d = 0; d < shape.Length; d++)
                if (d != a && shape[d] != first.Shape[d])
                    throw new ShapeMismatchException("Concat", first.Shape, shape,
                        $"input {i} differs from input 0 in dimension {d}, which is not the concatenation axis {a}");
        }
        return a;
    }
}

public static partial class TensorOps
{
    /// <summary>Joins tensors along <paramref name="axis"/> (negative counts from the end); every other dimension must agree.</summary>
    /// <param name="axis">the dimension to join along</param>
    /// <param name="tensors">one or more tensors (..., n_i, ...), all of the same rank</param>
    /// <returns>(..., sum of n_i, ...)</returns>
    public static Tensor Concat(int axis, params ReadOnlySpan<Tensor> tensors) => ConcatOp.Forward(tensors, axis);

    /// <summary>Joins tensors along <paramref name="axis"/> (negative counts from the end); every other dimension must agree.</summary>
    /// <param name="tensors">one or more tensors (..., n_i, ...), all of the same rank</param>
    /// <param name="axis">the dimension to join along</param>
    /// <returns>(..., sum of n_i, ...)</returns>
    public static Tensor Concat(ReadOnlySpan<Tensor> tensors, int axis) => ConcatOp.Forward(tensors, axis);
}
