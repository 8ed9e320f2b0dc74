namespace ModelDsl.Analyzers.Tests.Harness;

/// <summary>Source templates shared by tests, so each test shows only what it is about.</summary>
internal static class Sources
{
    /// <summary>A Module&lt;Tensor, Tensor&gt; named Model holding <paramref name="stacks"/>; its forward returns <paramref name="forward"/>.</summary>
    public static string StackModel(string stacks, string forward = "x") => $$"""
        public partial class Model : Module<Tensor, Tensor>
        {
        {{stacks}}
            public override Tensor forward(Tensor x) => {{forward}};
        }
        """;
}
