using ModelDsl;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.TestModels;

/// <summary>An encoder-decoder over sequences: the encoder's last state repeated, decoded step by step, Dense on every step.</summary>
[Input(5, 3)]
[LSTM(8)]
[RepeatVector(4)]
[LSTM(6, returnSequences: true)]
[Dense(3)] [Softmax]
[Output(4, 3)]
public partial class SequenceToSequenceModel;

/// <summary>A token classifier: ids embedded to T×dim, two GRUs (the first returning its sequence), logits from the last state.</summary>
[Input(DType.Int64, 9)]
[Embedding(20, 4)]
[GRU(5, returnSequences: true)] [Dropout(0.2)]
[GRU(7)]
[Dense(2)]
[Output(2)]
public partial class TokenGruModel;

/// <summary>The two readings of an LSTM, as stacks of a module (every step's hidden state and the last one), and a repeated vector.</summary>
public partial class LstmReadings : nn.Module<Tensor, Tensor>
{
    [Input(6, 2)]
    [LSTM(3, returnSequences: true)]
    [Output(6, 3)]
    public partial Tensor Sequence(Tensor steps);

    [Input(6, 2)]
    [LSTM(3)]
    [Output(3)]
    public partial Tensor LastState(Tensor steps);

    [Input(2)]
    [RepeatVector(6)]
    [Output(6, 2)]
    public partial Tensor Repeated(Tensor vector);

    public override Tensor forward(Tensor steps) => LastState(steps);
}
