namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>The flower-type label (seed 001's first task). CSV names: <c>daisy</c>, <c>rose</c>.</summary>
public enum FlowerType
{
    /// <summary>Many thin radiating petals around a yellow/orange disc.</summary>
    Daisy,

    /// <summary>Layered round petals in a spiral around a tight centre.</summary>
    Rose,
}
