//! The widget's stylesheet as the Wasm carries it: the sheets of the bundle's views,
//! without comments and with whitespace collapsed at compile time, so the documented
//! sources in `style/` cost a pricing page nothing.
//!
//! A bundle carries the rules of its own views only: the tier table's (`widget.css`),
//! then the checkout and support views' shared ones (`forms.css`) and the support view's
//! (`support.css`).

#[cfg(not(any(feature = "checkout", feature = "support")))]
const SOURCE: &str = include_str!("../style/widget.css");
#[cfg(all(feature = "checkout", not(feature = "support")))]
const SOURCE: &str = concat!(
    include_str!("../style/widget.css"),
    include_str!("../style/forms.css"),
);
#[cfg(feature = "support")]
const SOURCE: &str = concat!(
    include_str!("../style/widget.css"),
    include_str!("../style/forms.css"),
    include_str!("../style/support.css"),
);

const LEN: usize = minify::<0>(SOURCE).1;
const BYTES: [u8; LEN] = minify::<LEN>(SOURCE).0;

/// The stylesheet every shadow root adopts.
pub const STYLESHEET: &str = match core::str::from_utf8(&BYTES) {
    Ok(sheet) => sheet,
    Err(_) => panic!("the minified stylesheet is not UTF-8"),
};

const fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

/// Whether a space next to `b` can go: braces and semicolons end or start a token on
/// their own (a space before `:` or after `,` can matter in a selector, so they stay).
const fn is_tight(b: u8) -> bool {
    matches!(b, b'{' | b'}' | b';')
}

/// `css` without `/* … */` comments, each run of whitespace (comments count as
/// whitespace) as one space, and no space next to `{`, `}` or `;`; with `N = 0` only its
/// length. The sheets have no strings or URLs that contain `/*` or several spaces.
const fn minify<const N: usize>(css: &str) -> ([u8; N], usize) {
    let src = css.as_bytes();
    let mut out = [0u8; N];
    let mut len = 0;
    let mut i = 0;
    let mut pending_space = false;
    let mut last = 0u8;
    while i < src.len() {
        let b = src[i];
        if b == b'/' && i + 1 < src.len() && src[i + 1] == b'*' {
            i += 2;
            while i + 1 < src.len() && !(src[i] == b'*' && src[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
            pending_space = true;
            continue;
        }
        if is_space(b) {
            pending_space = true;
            i += 1;
            continue;
        }
        if pending_space && len > 0 && !is_tight(b) && !is_tight(last) {
            if N > 0 {
                out[len] = b' ';
            }
            len += 1;
        }
        pending_space = false;
        if N > 0 {
            out[len] = b;
        }
        last = b;
        len += 1;
        i += 1;
    }
    (out, len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minified(css: &str) -> String {
        let (bytes, len) = minify::<4096>(css);
        assert_eq!(len, minify::<0>(css).1, "both passes agree on the length");
        String::from_utf8(bytes[..len].to_vec()).expect("UTF-8")
    }

    #[test]
    fn comments_and_extra_whitespace_go_and_selectors_stay() {
        let css = "/* a\n * heading */\n:host {\n  display: block;\n  font-family: \"Segoe UI\", sans-serif;\n}\n\n/* a note */\n.a .b:hover,\n.c > .d {\n  margin: 0 calc(var(--x) * 0.5);\n}\n";
        assert_eq!(
            minified(css),
            ":host{display: block;font-family: \"Segoe UI\", sans-serif;}.a .b:hover, .c > .d{margin: 0 calc(var(--x) * 0.5);}"
        );
    }

    #[test]
    fn the_sheet_keeps_every_rule_and_drops_every_comment() {
        assert!(!STYLESHEET.contains("/*") && !STYLESHEET.contains('\n'));
        for needle in [
            ":host{",
            "--ratecard-reserved-height, 28rem",
            ".rc-card__choose[aria-pressed=\"true\"]{",
            "@media (prefers-reduced-motion: no-preference){",
            ".rc-support__paste-summary{",
        ] {
            assert!(STYLESHEET.contains(needle), "{needle}");
        }
        let braces = |s: &str, c: char| s.matches(c).count();
        assert_eq!(braces(STYLESHEET, '{'), braces(SOURCE, '{'));
        assert_eq!(braces(STYLESHEET, '}'), braces(SOURCE, '}'));
    }
}
