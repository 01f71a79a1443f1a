using Wav2Vec2Sharp.Cli;
using Wav2Vec2Sharp.Cli.Console;

var (output, error) = StandardStreams.Open(Wav2Vec2Sharp.Distributed.LaunchEnvironment.UnderMpi);
return CliApp.Run(args, output, error);
