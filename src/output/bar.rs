//! Bars drawn with Unicode blocks, for charts in the terminal.

/// Eighths of a block, from one eighth to a full block.
const EIGHTHS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];

/// A bar `width` characters long at `max`, in proportion for `value`, to an eighth of a
/// character; a value above zero shows at least a sliver.
pub(crate) fn bar(value: u64, max: u64, width: usize) -> String {
    if max == 0 || value == 0 || width == 0 {
        return String::new();
    }
    let eighths = ((value.min(max) as f64 / max as f64) * (width * 8) as f64).round() as usize;
    let eighths = eighths.max(1);
    let mut bar = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        bar.push(EIGHTHS[eighths % 8 - 1]);
    }
    bar
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn bars_scale_to_the_width_in_eighths() {
        assert_eq!(bar(10, 10, 5), "█████");
        assert_eq!(bar(5, 10, 5), "██▌");
        assert_eq!(bar(1, 1000, 5), "▏");
        assert_eq!(bar(0, 10, 5), "");
        assert_eq!(bar(3, 0, 5), "");
        assert_eq!(bar(20, 10, 4), "████");
    }
}
