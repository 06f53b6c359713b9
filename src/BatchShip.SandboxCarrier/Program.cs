// Placeholder until the sandbox carrier lands: it refuses to pretend to be a carrier.
Console.Error.WriteLine("BatchShip.SandboxCarrier is not built yet.");
return 2;
