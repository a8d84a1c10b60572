//! CJK radicals drawn for ideographs: a font maps the radical `⼀` (U+2F00) and the ideograph
//! `一` to the same glyph, and a PDF writer that names glyphs by the font's first code point
//! (Chrome's, for one) writes `⼀级指标` for 一级指标. Each radical with an equivalent
//! ideograph is read as that ideograph.
//!
//! The tables were made from the fonts, not typed: the Kangxi radicals (U+2F00–U+2FD5) are
//! their NFKC equivalents, the CJK Radicals Supplement (U+2E80–U+2EF3) those that Noto Sans and
//! Noto Serif CJK draw with the glyph of one ideograph of the unified block.

/// The ideographs of the 214 Kangxi radicals, U+2F00 on.
const KANGXI: &[&str] = &[
    "一丨丶丿乙亅二亠人儿入八冂冖冫几凵刀力勹匕匚匸十卜卩厂厶又口囗土士夂夊夕大女子宀",
    "寸小尢尸屮山巛工己巾干幺广廴廾弋弓彐彡彳心戈戶手支攴文斗斤方无日曰月木欠止歹殳毋",
    "比毛氏气水火爪父爻爿片牙牛犬玄玉瓜瓦甘生用田疋疒癶白皮皿目矛矢石示禸禾穴立竹米糸",
    "缶网羊羽老而耒耳聿肉臣自至臼舌舛舟艮色艸虍虫血行衣襾見角言谷豆豕豸貝赤走足身車辛",
    "辰辵邑酉釆里金長門阜隶隹雨靑非面革韋韭音頁風飛食首香馬骨高髟鬥鬯鬲鬼魚鳥鹵鹿麥麻",
    "黃黍黑黹黽鼎鼓鼠鼻齊齒龍龜龠",
];

/// Radicals of the supplement and the ideograph they are drawn as, by code point.
const SUPPLEMENT: &[(char, char)] = &[
    ('\u{2E82}', '乛'),
    ('\u{2E83}', '乚'),
    ('\u{2E85}', '亻'),
    ('\u{2E89}', '刂'),
    ('\u{2E8E}', '兀'),
    ('\u{2E8F}', '尣'),
    ('\u{2E90}', '尢'),
    ('\u{2E92}', '巳'),
    ('\u{2E93}', '幺'),
    ('\u{2E94}', '彑'),
    ('\u{2E95}', '彐'),
    ('\u{2E96}', '忄'),
    ('\u{2E98}', '扌'),
    ('\u{2E99}', '攵'),
    ('\u{2E9B}', '旡'),
    ('\u{2E9E}', '歺'),
    ('\u{2E9F}', '母'),
    ('\u{2EA0}', '民'),
    ('\u{2EA1}', '氵'),
    ('\u{2EA3}', '灬'),
    ('\u{2EA4}', '爫'),
    ('\u{2EA6}', '丬'),
    ('\u{2EA8}', '犭'),
    ('\u{2EAB}', '罒'),
    ('\u{2EAD}', '礻'),
    ('\u{2EAF}', '糹'),
    ('\u{2EB0}', '纟'),
    ('\u{2EB1}', '罓'),
    ('\u{2EB2}', '罒'),
    ('\u{2EB9}', '耂'),
    ('\u{2EBA}', '肀'),
    ('\u{2EBE}', '艹'),
    ('\u{2EBF}', '艹'),
    ('\u{2EC1}', '虎'),
    ('\u{2EC2}', '衤'),
    ('\u{2EC3}', '覀'),
    ('\u{2EC4}', '西'),
    ('\u{2EC5}', '见'),
    ('\u{2EC6}', '角'),
    ('\u{2EC8}', '讠'),
    ('\u{2EC9}', '贝'),
    ('\u{2ECB}', '车'),
    ('\u{2ECC}', '辶'),
    ('\u{2ECD}', '辶'),
    ('\u{2ECE}', '辶'),
    ('\u{2ED0}', '钅'),
    ('\u{2ED1}', '長'),
    ('\u{2ED2}', '镸'),
    ('\u{2ED3}', '长'),
    ('\u{2ED4}', '门'),
    ('\u{2ED6}', '阝'),
    ('\u{2ED8}', '青'),
    ('\u{2ED9}', '韦'),
    ('\u{2EDA}', '页'),
    ('\u{2EDB}', '风'),
    ('\u{2EDC}', '飞'),
    ('\u{2EDD}', '食'),
    ('\u{2EDF}', '飠'),
    ('\u{2EE0}', '饣'),
    ('\u{2EE2}', '马'),
    ('\u{2EE3}', '骨'),
    ('\u{2EE4}', '鬼'),
    ('\u{2EE5}', '鱼'),
    ('\u{2EE6}', '鸟'),
    ('\u{2EE7}', '卤'),
    ('\u{2EE8}', '麦'),
    ('\u{2EE9}', '黄'),
    ('\u{2EEA}', '黾'),
    ('\u{2EEB}', '斉'),
    ('\u{2EEC}', '齐'),
    ('\u{2EED}', '歯'),
    ('\u{2EEE}', '齿'),
    ('\u{2EEF}', '竜'),
    ('\u{2EF0}', '龙'),
    ('\u{2EF1}', '龜'),
    ('\u{2EF2}', '亀'),
    ('\u{2EF3}', '龟'),
];

/// `c`, or the ideograph a radical stands for.
pub fn ideograph(c: char) -> char {
    match c as u32 {
        0x2F00..=0x2FD5 => {
            let i = (c as u32 - 0x2F00) as usize;
            KANGXI.iter().flat_map(|s| s.chars()).nth(i).unwrap_or(c)
        }
        0x2E80..=0x2EF3 => SUPPLEMENT
            .binary_search_by_key(&c, |&(r, _)| r)
            .map_or(c, |i| SUPPLEMENT[i].1),
        _ => c,
    }
}

/// `text` with every radical that stands for an ideograph read as it.
pub fn ideographs(text: &str) -> String {
    text.chars().map(ideograph).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radicals_read_as_their_ideographs() {
        assert_eq!(ideographs("⼀级指标"), "一级指标");
        assert_eq!(ideographs("很⻓的说明⽂字"), "很长的说明文字");
        assert_eq!(ideographs("⻔⻢⿔"), "门马龜");
        assert_eq!(ideographs("⺀ 18.95%"), "⺀ 18.95%");
        assert_eq!(KANGXI.iter().map(|s| s.chars().count()).sum::<usize>(), 214);
    }
}
