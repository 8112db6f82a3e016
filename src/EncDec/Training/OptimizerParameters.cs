using EncDec.Tensors;

namespace EncDec.Training;

/// <summary>The checks every optimiser makes on the tensors it is given.</summary>
internal static class OptimizerParameters
{
    /// <summary>The parameters as an array, each checked to be contiguous and to require grad.</summary>
    public static Tensor[] Checked(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var array = parameters.ToArray();
        for (int i = 0; i < array.Length; i++)
            if (!array[i].RequiresGrad || !array[i].IsContiguous)
                throw new ArgumentException($"parameter {i} {array[i].Describe()} must be contiguous and require grad");
        return array;
    }

    /// <summary>Throws unless <paramref name="learningRate"/> is positive and finite.</summary>
    public static void CheckLearningRate(float learningRate)
    {
        if (learningRate <= 0 || !float.IsFinite(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "learning rate must be positive and finite");
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public static void ZeroGrad(Tensor[] parameters)
    {
        foreach (var parameter in parameters) parameter.ZeroGrad();
    }
}
