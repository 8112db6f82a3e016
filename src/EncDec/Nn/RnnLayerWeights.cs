using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>The four parameters of one layer and direction of a recurrent stack (gates·hidden rows each).</summary>
/// <param name="WeightIh">(gates·hidden, input)</param>
/// <param name="WeightHh">(gates·hidden, hidden)</param>
/// <param name="BiasIh">(gates·hidden)</param>
/// <param name="BiasHh">(gates·hidden)</param>
internal sealed record RnnLayerWeights(Tensor WeightIh, Tensor WeightHh, Tensor BiasIh, Tensor BiasHh);
