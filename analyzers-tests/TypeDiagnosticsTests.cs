using ModelDsl.Analyzers.Tests.Harness;
using NUnit.Framework;

namespace ModelDsl.Analyzers.Tests;

/// <summary>Types that cannot take generated code (MDSL0002, 0017, 0019, 0020), reported on the type or constructor name.</summary>
public sealed class TypeDiagnosticsTests
{
    // Each case: the declaration that carries [Input(10)] [Dense(3)], with the offending name marked.
    [TestCase("public class {|MDSL0002:Model|};",
        "'Model' must be declared partial so that ModelDsl can generate its layers", TestName = "Class not partial")]
    [TestCase("public partial class {|MDSL0017:Model|} : System.Exception;",
        "'Model' derives from System.Exception, but a class-level stack makes it a Module<Tensor, Tensor>: remove the base class, or declare the stacks as partial methods",
        TestName = "Class-level stack on a class with another base")]
    [TestCase("public partial class {|MDSL0019:Model|}<T>;",
        "'Model' is generic: a ModelDsl model must be a non-generic class", TestName = "Generic class")]
    [TestCase("public partial record {|MDSL0019:Model|};",
        "'Model' is a record: a ModelDsl model must be a non-generic class", TestName = "Record")]
    [TestCase("public partial record struct {|MDSL0019:Model|};",
        "'Model' is a record: a ModelDsl model must be a non-generic class", TestName = "Record struct")]
    [TestCase("public partial struct {|MDSL0019:Model|};",
        "'Model' is a struct: a ModelDsl model must be a non-generic class", TestName = "Struct")]
    [TestCase("file partial class {|MDSL0019:Model|};",
        "'Model' is file-local: a ModelDsl model must be a non-generic class", TestName = "File-local class")]
    public void Model_type_that_cannot_take_generated_code(string declaration, string message)
    {
        // Structs may not carry [Input] and layers at all (CS0592); ModelDsl still explains.
        var attributes = declaration.Contains("struct", StringComparison.Ordinal)
            ? "[{|CS0592:Input|}(10)] [{|CS0592:Dense|}(3)]"
            : "[Input(10)] [Dense(3)]";
        Expect.Diagnostics($"{attributes}\n{declaration}", message);
    }

    [Test]
    public void Partial_class_nested_in_a_class_that_is_not()
    {
        Expect.Diagnostics("""
            public class {|MDSL0002:Outer|}
            {
                [Input(10)] [Dense(3)]
                public partial class Model;
            }
            """,
            "'Outer' must be declared partial so that ModelDsl can generate its layers");
    }

    [Test]
    public void Stack_methods_in_a_class_that_is_not_a_module()
    {
        Expect.Diagnostics("""
            public partial class {|MDSL0017:Model|}
            {
                [Input(10)] [Dense(3)] private partial Tensor Body(Tensor x);
            }
            """,
            "'Model' declares stacks as partial methods, so it must derive from TorchSharp's Module<…> (e.g. Module<Tensor, Tensor>)");
    }

    [Test]
    public void Own_parameterless_constructor()
    {
        Expect.Diagnostics("""
            [Input(10)] [Dense(3)]
            public partial class Model
            {
                public {|MDSL0020:Model|}() { }
            }
            """,
            "'Model' declares a parameterless constructor, but ModelDsl generates it to build the layers: remove it, or give your constructor parameters and chain it with ': this()'");
    }

    [Test]
    public void Constructor_with_parameters_chained_to_the_generated_one()
    {
        Expect.Clean("""
            [Input(10)] [Dense(3)]
            public partial class Model
            {
                public Model(string device) : this() => Device = device;
                public string Device { get; } = "cpu";
            }
            """);
    }

    [Test]
    public void Rejected_type_does_not_take_the_code_of_a_valid_one_with_the_same_name()
    {
        Expect.Diagnostics("""
            [Input(10)] [Dense(3)]
            partial class GM;

            [Input(10)] [Dense(3)]
            partial class {|MDSL0019:GM|}<T>;

            class User { Module<Tensor, Tensor> model = new GM(); }
            """,
            "'GM' is generic: a ModelDsl model must be a non-generic class");
    }
}
