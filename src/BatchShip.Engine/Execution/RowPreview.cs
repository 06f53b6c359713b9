using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Execution;

/// <summary>What -WhatIf learns of one row: the request it would send, or why it cannot, whether it would be skipped,
/// and whether its order key is a hash of the whole row.</summary>
public sealed record RowPreview(long RowNumber, string? RequestJson, BatchShipException? Error, string? AlreadyShippedBy, bool KeyIsRowHash = false);
