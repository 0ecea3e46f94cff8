using Ppo.Samples.Distributed;

// Trains LunarLander-v3 with its rollouts collected by worker processes on an Orleans cluster whose membership lives in
// Redis (one on loopback is found or started). The learner starts the workers itself:
//   dotnet run -c Release --project samples/Distributed -- --workers 2 --seed 1
// Options: --workers N (2), --seed S (1), --timesteps T (1015808), --spin-us U (0: busy-wait U µs per environment step,
// a stand-in for an expensive simulator), --kill-worker-at-update K (SIGKILL one worker process after update K),
// --summary out.json. A worker can also be started by hand, on this or another host:
//   dotnet run -c Release --project samples/Distributed -- worker --redis HOST:PORT --cluster ID
try
{
    var arguments = new CommandLine(args);
    return arguments.Mode == "worker" ? await WorkerProcess.RunAsync(arguments) : await LearnerProcess.RunAsync(arguments);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}
