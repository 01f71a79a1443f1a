using Wav2Vec2Sharp.Cli;

return CliApp.Run(args, Console.Out, Console.Error);
