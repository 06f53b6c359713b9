namespace BatchShip.Engine.Templates;

/// <summary>One package of an order shipped with -PackagePerRow: one row's weight, in pounds, and its dimensions, in
/// inches (all three, or all empty when the row does not give all three).</summary>
/// <param name="RowNumber">The row the package stands for.</param>
/// <param name="WeightLb">The row's weight in pounds, one decimal (as the weight function writes it).</param>
/// <param name="LengthIn">The row's length in inches, or empty.</param>
/// <param name="WidthIn">The row's width in inches, or empty.</param>
/// <param name="HeightIn">The row's height in inches, or empty.</param>
public sealed record OrderPackage(long RowNumber, string WeightLb, string LengthIn, string WidthIn, string HeightIn);
