using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>The recurrent state of one LSTM layer and direction: hidden state and cell state.</summary>
/// <param name="H">hidden state (batch, hidden)</param>
/// <param name="C">cell state (batch, hidden)</param>
public readonly record struct LstmState(Tensor H, Tensor C);
