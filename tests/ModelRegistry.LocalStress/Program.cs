using ModelRegistry;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.Local;

// Usage:
//   register <folder> <group> <count> <go-file>   warm up, write <go-file>.<pid>.ready, wait for <go-file> to exist,
//                                                 register <count> versions, print each version number on its own line
//   hold-lock <folder> <group>                    take the group's exclusive lock, print "held", sleep until killed
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: register <folder> <group> <count> <go-file> | hold-lock <folder> <group>");
    return 2;
}

using var registry = new LocalRegistry(new RegistryConnection { Backend = RegistryBackend.Local, LocalPath = args[1] });
switch (args[0])
{
    case "register":
    {
        var count = int.Parse(args[3]);
        var goFile = args[4];
        // Warm up (JIT, first file writes) on a group of its own, then say so with <go-file>.<pid>.ready: the test
        // starts all writers at once only when each is ready, so they really overlap.
        var warmup = $"warmup-{Environment.ProcessId}";
        await registry.CreateGroupAsync(warmup, "warm-up", new Dictionary<string, string>(), CancellationToken.None);
        await registry.RegisterVersionAsync(new VersionSpec { GroupName = warmup, ImageUri = "stress.example/model:1" }, CancellationToken.None);
        File.WriteAllText($"{goFile}.{Environment.ProcessId}.ready", "");
        // A start line, so two processes really overlap instead of one finishing during the other's startup.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(goFile))
        {
            if (DateTime.UtcNow > deadline) { Console.Error.WriteLine("go-file never appeared"); return 3; }
            Thread.Sleep(2);
        }
        for (var i = 0; i < count; i++)
        {
            var v = await registry.RegisterVersionAsync(new VersionSpec
            {
                GroupName = args[2],
                ImageUri = "stress.example/model:1",
                ModelDataUrl = $"s3://stress/{Environment.ProcessId}/{i}/model.tar.gz",
                Description = $"pid {Environment.ProcessId} #{i}",
            }, CancellationToken.None);
            Console.WriteLine(v.Version);
        }
        return 0;
    }
    case "hold-lock":
    {
        using var held = registry.HoldGroupLock(args[2], exclusive: true);
        Console.WriteLine("held");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }
    default:
        Console.Error.WriteLine($"unknown mode '{args[0]}'");
        return 2;
}
