// The namespaces most of the app's files use. (Models.Mnist.Data and Models.Mnist.Imaging stay in each file that uses them.)
global using System.Globalization;
global using System.Text.Json.Nodes;
global using ModelDsl.Training;
global using Models.Mnist.Evaluation;
global using Models.Mnist.Models;
global using Models.Mnist.Training;
