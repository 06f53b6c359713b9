using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Execution;

/// <summary>What -WhatIf learns of one row: the request it would send, or why it cannot, and whether it would be skipped.</summary>
public sealed record RowPreview(long RowNumber, string? RequestJson, BatchShipException? Error, string? AlreadyShippedBy);
