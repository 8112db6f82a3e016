// System.Numerics.Tensors also defines a type named Tensor; importing only its TensorPrimitives
// keeps EncDec.Tensors.Tensor unambiguous everywhere.
global using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
