global using ModelDsl.TestSupport;
global using Xunit;
