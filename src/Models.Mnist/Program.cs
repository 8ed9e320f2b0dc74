return Models.Mnist.Cli.MnistCli.Run(args);
