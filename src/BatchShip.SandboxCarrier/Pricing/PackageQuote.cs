namespace BatchShip.SandboxCarrier.Pricing;

/// <summary>The price of one package at its billable weight.</summary>
public sealed record PackageQuote(decimal BillableWeight, decimal Charge);
