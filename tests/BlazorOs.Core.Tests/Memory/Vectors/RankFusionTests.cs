using BlazorOs.Core.Memory.Vectors;

namespace BlazorOs.Core.Tests.Memory.Vectors;

public sealed class RankFusionTests
{
    [Fact]
    public void Each_list_contributes_one_over_k_plus_rank()
    {
        var fused = RankFusion.Fuse(["a", "b"], ["b", "c"]);

        Assert.Equal(["b", "a", "c"], fused.Select(f => f.Key));
        Assert.Equal(1.0 / 62 + 1.0 / 61, fused[0].Score, 12);
        Assert.Equal(1.0 / 61, fused[1].Score, 12);
        Assert.Equal(1.0 / 62, fused[2].Score, 12);
    }

    [Fact]
    public void An_item_in_both_lists_beats_the_top_of_one_list()
    {
        // "x" is only 5th in each list; "t" and "m" top one list each. With k = 60, two middling ranks win.
        var fused = RankFusion.Fuse(["t", "1", "2", "3", "x"], ["m", "4", "5", "6", "x"]);

        Assert.Equal("x", fused[0].Key);
        Assert.Equal(MemoryMatch.Both, fused[0].Match);
    }

    [Fact]
    public void Matches_say_which_list_found_the_item()
    {
        var fused = RankFusion.Fuse(["text-only", "shared"], ["shared", "meaning-only"]).ToDictionary(f => f.Key, f => f.Match);

        Assert.Equal(MemoryMatch.Text, fused["text-only"]);
        Assert.Equal(MemoryMatch.Both, fused["shared"]);
        Assert.Equal(MemoryMatch.Meaning, fused["meaning-only"]);
    }

    [Fact]
    public void Equal_scores_keep_text_before_meaning_and_one_empty_list_keeps_the_other_in_order()
    {
        Assert.Equal(["t", "m"], RankFusion.Fuse(["t"], ["m"]).Select(f => f.Key));
        Assert.Equal(["a", "b", "c"], RankFusion.Fuse([], ["a", "b", "c"]).Select(f => f.Key));
        Assert.Empty(RankFusion.Fuse(Array.Empty<string>(), []));
    }

    [Fact]
    public void A_smaller_k_favours_the_head_of_a_list()
    {
        // k = 0: first place alone (1) beats second place in both lists (1/2 + 1/2 = 1 is a tie, third in both is less).
        var fused = RankFusion.Fuse(["top", "z", "both"], ["other", "y", "both"], k: 0);

        Assert.Equal("top", fused[0].Key);
        Assert.Equal(1.0, fused[0].Score, 12);
        Assert.Equal(2.0 / 3, fused.Single(f => f.Key == "both").Score, 12);
    }
}
