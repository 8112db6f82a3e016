using EncDec.Autograd;
using EncDec.Models;
using EncDec.Tensors;

namespace EncDec.Generation;

/// <summary>
/// The one entry point of search, written once for every model family: the encoder runs once
/// (<see cref="EncoderDecoderModel.Encode"/>), then <see cref="EncoderDecoderModel.StartDecoding"/> and one
/// <see cref="EncoderDecoderModel.Step"/> per token drive greedy search (<see cref="SearchOptions.BeamSize"/> 1),
/// beam search or sampling, moving hypotheses between rows only through <see cref="IDecoderState.Reorder"/>.
/// Runs with gradients disabled and each step inside a <see cref="TensorScope"/>.
/// </summary>
/// <example><code>
/// model.Eval();
/// var results = SequenceGenerator.Generate(model, sourceIds, sourceMask, ids, new SearchOptions(BeamSize: 4, NBest: 2));
/// int[] best = results[0].Best.Tokens;
/// </code></example>
public static class SequenceGenerator
{
    /// <summary>Searches for the outputs of a batch of sources.</summary>
    /// <param name="model">The network, in evaluation mode (dropout would make the search random).</param>
    /// <param name="sourceIds">(batch, srcLen) source ids, padded on the right.</param>
    /// <param name="sourceMask">(batch, srcLen): 1 at padding, 0 at real tokens.</param>
    /// <param name="ids">The start and end ids of the target side.</param>
    /// <param name="options">The strategy, constraints and penalties; validated here.</param>
    /// <param name="targetPrefixes">Per input, target tokens to force before searching (null entries: none); overrides
    /// <see cref="SearchOptions.TargetPrefix"/>.</param>
    /// <param name="decoder">The decoder to step instead of the model's own (tests pass a <see cref="ReferenceDecoder"/>
    /// over <c>model.Decoder</c>); null steps through the model.</param>
    /// <returns>One <see cref="SearchResult"/> per input row, in input order.</returns>
    /// <exception cref="ArgumentException">Invalid options, ids or prefixes, or a model in training mode.</exception>
    public static SearchResult[] Generate(EncoderDecoderModel model, IntTensor sourceIds, Tensor sourceMask, SpecialIds ids,
        SearchOptions options, IReadOnlyList<int[]?>? targetPrefixes = null, IDecoder? decoder = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (model.IsTraining)
            throw new ArgumentException("SequenceGenerator: the model is in training mode (dropout on); call Eval() first", nameof(model));
        using var noGrad = GradMode.Disable();
        var encoded = model.Encode(sourceIds, sourceMask);
        var session = new DecodingSession(model, decoder, encoded, ids, options, targetPrefixes);
        using var state = session.State;
        if (options.Sampling) return new Sampler(options).Run(session, options.NumSamples);
        return options.BeamSize == 1 ? new GreedySearch().Run(session, copies: 1) : new BeamSearch().Run(session);
    }
}
