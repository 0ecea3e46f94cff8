using Ppo.Samples;
using Ppo.Samples.Distributed;

// Trains LunarLander-v3 with its rollouts collected by worker processes on an Orleans cluster whose membership lives in
// Redis; the learner starts the workers itself, in the command line's worker mode:
//   dotnet run -c Release --project samples/Distributed -- --workers 2 --seed 1
//   dotnet run -c Release --project samples/Distributed -- --help
//   dotnet run -c Release --project samples/Distributed -- worker --help
var commandLine = new CommandLine(LearnerProcess.NumEnvs);
commandLine.Worker.SetAction(parsed => WorkerProcess.RunAsync(commandLine.ReadWorker(parsed)));
return await SampleCommandLine.InvokeAsync(commandLine.Root, args, Console.Out, Console.Error, parsed =>
{
    LearnerArguments learner = commandLine.ReadLearner(parsed);
    return commandLine.PrepareOutputs(learner) is string problem ? Task.FromResult(SampleCommandLine.Reject(Console.Error, problem)) : LearnerProcess.RunAsync(learner);
});
