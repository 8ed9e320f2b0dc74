using ModelDsl;

namespace Models.Mnist.Models;

/// <summary>
/// Keras' addition_rnn: a question of 7 one-hot characters (12 symbols) read by an LSTM encoder, its last state
/// repeated for the 4 answer characters and decoded by a second LSTM, one Dense over the symbols per step. The
/// logits stay logits: the loss is cross-entropy over them, Keras' softmax and categorical cross-entropy computed stably.
/// </summary>
[Input(7, 12)]
[LSTM(128)]
[RepeatVector(4)]
[LSTM(128, returnSequences: true)]
[Dense(12)]
[Output(4, 12)]
public partial class AdditionRnn;
