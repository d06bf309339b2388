// The games this module has settings for, keyed by ROM MD5 (as ALE keys them) and by ale-py's
// ROM name. Every entry transcribes the facts of ALE's settings for that game: score bytes
// (BCD), the terminal test, lives and the minimal action set; default-mode selection and
// starting actions come from the console's ConsoleModeSelection table (Double Dunk's menu
// walk, which that table cannot express, is here).

/// Every game with settings.
public enum GameCatalog {
    // ALE's action numbers, short for the tables below.
    static let noop = 0, fire = 1, up = 2, right = 3, left = 4, down = 5
    static let upRight = 6, upLeft = 7, downRight = 8, downLeft = 9
    static let upFire = 10, rightFire = 11, leftFire = 12, downFire = 13
    static let upRightFire = 14, upLeftFire = 15, downRightFire = 16, downLeftFire = 17
    static let allActions = Array(0...17)

    /// ALE action numbers from their names ("NOOP FIRE UP"), as ALE's settings list them.
    static func actions(_ names: String) -> [Int] {
        names.split(separator: " ").map { name in
            guard let index = AtariEnvironment.aleActionNames.firstIndex(of: String(name)) else {
                preconditionFailure("GameCatalog: unknown action name \(name)")
            }
            return index
        }
    }

    /// Settings by ale-py's ROM name.
    public static let byName: [String: GameSettings] = Dictionary(
        uniqueKeysWithValues: games.map { ($0.name, $0) })
    /// Settings by ROM MD5 (lowercase hex).
    public static let byMD5: [String: GameSettings] = Dictionary(
        uniqueKeysWithValues: games.map { ($0.md5, $0) })
    /// Supported game names, sorted.
    public static var names: [String] { byName.keys.sorted() }

    static let games: [GameSettings] = [
        GameSettings(name: "pong", md5: "60e0ea3cbe0913d39803477945e9e5ec",
                     minimal: actions("NOOP FIRE RIGHT LEFT RIGHTFIRE LEFTFIRE")) { ram, p in
            let cpu = ram[13], player = ram[14]
            let score = player - cpu
            p.reward = score - p.score
            p.score = score
            p.terminal = cpu == 21 || player == 21
        },
        GameSettings(name: "breakout", md5: "f34f08e5eb96e500e851a80be3277a56",
                     minimal: actions("NOOP FIRE RIGHT LEFT"), lives: 5, zeroLivesWhenTerminal: true) { ram, p in
            let x = ram[77], y = ram[76]
            let score = (x & 0x0F) + 10 * (x >> 4) + 100 * (y & 0x0F)
            p.reward = score - p.score
            p.score = score
            let livesByte = ram[57]
            if !p.started && livesByte == 5 { p.started = true }
            p.terminal = p.started && livesByte == 0
            p.lives = livesByte
        },
        GameSettings(name: "boxing", md5: "c3ef5c4653212088eda54dc91d787870", minimal: allActions) { ram, p in
            var mine = ram.bcd(0x92), theirs = ram.bcd(0x93)
            // 0xC0 in a score byte is a knock-out, worth 100.
            if ram[0x92] == 0xC0 { mine = 100 }
            if ram[0x93] == 0xC0 { theirs = 100 }
            let score = mine - theirs
            p.reward = score - p.score
            p.score = score
            if mine == 100 || theirs == 100 {
                p.terminal = true
            } else {
                let minutes = ram[0x90] >> 4
                let seconds = (ram[0x91] & 0xF) + (ram[0x91] >> 4) * 10
                p.terminal = minutes == 0 && seconds == 0
            }
        },
        GameSettings(name: "freeway", md5: "8e0ab801b1705a740b476b7f588c6d16",
                     minimal: actions("NOOP UP DOWN")) { ram, p in
            let score = ram.bcd(103)
            // ALE counts a crossing as 1 whatever the score byte did (it wraps at 100).
            p.reward = min(max(score - p.score, 0), 1)
            p.score = score
            p.terminal = ram[22] == 1
        },
        GameSettings(name: "ms_pacman", md5: "87e79cd41ce136fd4f72cc6e2c161bee",
                     minimal: actions("NOOP UP RIGHT LEFT DOWN UPRIGHT UPLEFT DOWNRIGHT DOWNLEFT"),
                     lives: 3, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(0xF8, 0xF9, 0xFA), &p)
            let livesByte = ram[0xFB] & 0xF
            p.terminal = livesByte == 0 && ram[0xA7] == 0x53
            p.lives = (livesByte & 0x7) + 1
        },
        GameSettings(name: "alien", md5: "f1a0a23e6464d954e3a9579c4ccd01c8", minimal: allActions,
                     lives: 3) { ram, p in
            // Alien's digits are stored as 8-pixel offsets; 0x80 is a blank digit.
            func digit(_ address: Int) -> Int { ram[address] == 0x80 ? 0 : ram[address] >> 3 }
            let score = 10 * (digit(0x8B) + 10 * digit(0x89) + 100 * digit(0x87) + 1000 * digit(0x85) + 10_000 * digit(0x83))
            scored(score, &p)
            let livesByte = ram[0xC0] & 15
            p.terminal = livesByte <= 0
            p.lives = livesByte
        },
        GameSettings(name: "amidar", md5: "acb7750b4d0c4bd34969802a7deb2990",
                     minimal: actions("NOOP FIRE UP RIGHT LEFT DOWN UPFIRE RIGHTFIRE LEFTFIRE DOWNFIRE"),
                     lives: 3, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(0xD9, 0xDA, 0xDB), &p)
            p.terminal = ram[0xD6] == 0x80
            p.lives = ram[0xD6] & 0xF
        },
        GameSettings(name: "assault", md5: "de78b3a064d374390ac0710f95edde92",
                     minimal: actions("NOOP FIRE UP RIGHT LEFT RIGHTFIRE LEFTFIRE"),
                     lives: 4, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(0x82, 0x81, 0x80), &p)
            p.lives = ram[0xE5]
            p.terminal = p.lives == 0
        },
        GameSettings(name: "asterix", md5: "89a68746eff7f266bbf08de2483abe55",
                     minimal: actions("NOOP UP RIGHT LEFT DOWN UPRIGHT UPLEFT DOWNRIGHT DOWNLEFT"),
                     lives: 3, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(0xE0, 0xDF, 0xDE), &p)
            p.lives = ram[0xD3] & 0xF
            p.terminal = ram[0xC7] == 0x01 && p.lives == 1
        },
        GameSettings(name: "bank_heist", md5: "00ce0bdd43aed84a983bef38fe7f5ee3", minimal: allActions,
                     lives: 5, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(0xDA, 0xD9, 0xD8), &p)
            p.lives = ram[0xD5]
            p.terminal = ram[0xCE] == 0x01 && p.lives == 0
        },
        GameSettings(name: "battle_zone", md5: "41f252a66c6301f1e8ab3612c19bc5d4", minimal: allActions,
                     lives: 5, zeroLivesWhenTerminal: true) { ram, p in
            // Digit value 10 is a blank (leading zero).
            func digit(_ value: Int) -> Int { value == 10 ? 0 : value }
            let first = ram[0x9D], second = ram[0x9E]
            let score = 1000 * (digit(first >> 4) + 10 * digit(second & 15) + 100 * digit(second >> 4))
            scored(score, &p)
            p.lives = ram[0xBA] & 0xF
            p.terminal = p.lives == 0
        },
        GameSettings(name: "chopper_command", md5: "c1cb228470a87beb5f36e90ac745da26", minimal: allActions,
                     lives: 3) { ram, p in
            scored(100 * ram.bcd(0xEE, 0xEC), &p)
            p.lives = ram[0xE4] & 0xF
            // The game counts as started once the chopper has faced right ($C2 bit 0).
            if ram[0xC2] & 1 != 0 { p.started = true }
            p.terminal = p.started && p.lives == 0
        },
        GameSettings(name: "crazy_climber", md5: "55ef7b65066428367844342ed59f956c",
                     minimal: actions("NOOP UP RIGHT LEFT DOWN UPRIGHT UPLEFT DOWNRIGHT DOWNLEFT"),
                     lives: 5, zeroLivesWhenTerminal: true) { ram, p in
            let score = 100 * (ram[0x82] + 10 * ram[0x83] + 100 * ram[0x84] + 1000 * ram[0x85])
            p.reward = max(score - p.score, 0)
            p.score = score
            p.lives = ram[0xAA]
            p.terminal = p.lives == 0
        },
        GameSettings(name: "demon_attack", md5: "f0e0addc07971561ab80d9abe1b8d333",
                     minimal: actions("NOOP FIRE RIGHT LEFT RIGHTFIRE LEFTFIRE"),
                     lives: 4, zeroLivesWhenTerminal: true) { ram, p in
            var score = ram.bcd(0x85, 0x83, 0x81)
            // The power-on pattern AB CD EA reads as score 0.
            if ram[0x81] == 0xAB && ram[0x83] == 0xCD && ram[0x85] == 0xEA { score = 0 }
            scored(score, &p)
            // ALE's level-change flag is only set by its setMode and cleared by the next frame,
            // which is one of the RESET frames that follow: it never masks a terminal here.
            p.terminal = ram[0xF2] == 0 && ram[0xF1] == 0xBD
            p.lives = ram[0xF2] + 1
        },
        GameSettings(name: "frostbite", md5: "4ca73eb959299471788f0b685c3ba0b5", minimal: allActions,
                     lives: 4, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(0xCA, 0xC9, 0xC8), &p)
            let livesByte = ram[0xCC] & 0xF
            p.terminal = livesByte == 0 && ram[0xF1] & 0x80 != 0
            p.lives = livesByte + 1
        },
        GameSettings(name: "gopher", md5: "c16c79aad6272baffb8aae9a7fff0864",
                     minimal: actions("NOOP FIRE UP RIGHT LEFT UPFIRE RIGHTFIRE LEFTFIRE"),
                     lives: 3, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(0xB2, 0xB1, 0xB0), &p)
            let carrots = ram[0xB4] & 0x7
            p.terminal = carrots == 0
            p.lives = [0, 1, 1, 2, 1, 2, 2, 3][carrots]
        },
        GameSettings(name: "hero", md5: "fca4a5be1251927027f2c24774a02160", minimal: allActions,
                     lives: 4, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(0xB9, 0xB8, 0xB7), &p)
            p.lives = ram[0xB3]
            p.terminal = p.lives == 0
        },
        GameSettings(name: "jamesbond", md5: "e51030251e440cffaab1ac63438b44ae", minimal: allActions,
                     lives: 6, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(0xDC, 0xDD, 0xDE), &p)
            let livesByte = ram[0x86] & 0xF
            p.terminal = livesByte == 0 && ram[0x8C] == 0x68
            p.lives = livesByte + 1
        },
        GameSettings(name: "kangaroo", md5: "4326edb70ff20d0ee5ba58fa5cb09d60", minimal: allActions,
                     lives: 3, zeroLivesWhenTerminal: true) { ram, p in
            scored(100 * ram.bcd(0xA8, 0xA7), &p)
            p.terminal = ram[0xAD] == 0xFF
            p.lives = (ram[0xAD] & 0x7) + 1
        },
        GameSettings(name: "krull", md5: "4baada22435320d185c95b7dd2bcdb24", minimal: allActions,
                     lives: 3, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(0x9E, 0x9D, 0x9C), &p)
            let lives = ram[0x9F]
            p.terminal = lives == 0 && ram[0xA2] == 0x03 && ram[0x80] == 0x80
            p.lives = (lives & 0x7) + 1
        },
        GameSettings(name: "kung_fu_master", md5: "5b92a93b23523ff16e2789b820e2a4c5",
                     minimal: actions("NOOP UP RIGHT LEFT DOWN DOWNRIGHT DOWNLEFT RIGHTFIRE LEFTFIRE DOWNFIRE UPRIGHTFIRE UPLEFTFIRE DOWNRIGHTFIRE DOWNLEFTFIRE"),
                     lives: 4, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(0x9A, 0x99, 0x98), &p)
            p.terminal = ram[0x9D] == 0xFF
            p.lives = (ram[0x9D] & 0x7) + 1
        },
        GameSettings(name: "private_eye", md5: "ef3a4f64b6494ba770862768caf04b86", minimal: allActions,
                     score: 1000) { ram, p in
            scored(ram.bcd(0xCA, 0xC9, 0xC8), &p)
            p.terminal = ram[0xC2] != 0 && ram[0xC2] != 1
        },
        GameSettings(name: "qbert", md5: "484b0076816a104875e00467d431c2d2",
                     minimal: actions("NOOP FIRE UP RIGHT LEFT DOWN"), lives: 4, memo: 2, zeroLivesWhenTerminal: true) { ram, p in
            // Lives count down with the signed lives byte; the score is frozen once over.
            let value = ram[0x88]
            p.terminal = value == 0xFE || (value == 0x02 && p.memo == -1)
            let signed = Int(Int8(truncatingIfNeeded: value))
            if p.memo - 1 == signed { p.lives -= 1 }
            p.memo = signed
            if !p.terminal {
                scored(ram.bcd(0xDB, 0xDA, 0xD9), &p)
            } else {
                p.reward = 0
            }
        },
        GameSettings(name: "road_runner", md5: "ce5cc62608be2cd3ed8abd844efb8919", minimal: allActions,
                     lives: 3, zeroLivesWhenTerminal: true) { ram, p in
            // Four digits in the low nibbles of $C9-$CC, lowest first.
            scored(100 * ram.lowNibbleDigits(from: 0xC9, count: 4), &p)
            let livesByte = ram[0xC4] & 0x7
            p.terminal = livesByte == 0 && (ram[0xB9] != 0 || ram[0xBD] != 0)
            p.lives = livesByte + 1
        },
        GameSettings(name: "seaquest", md5: "240bfbac5163af4df5ae713985386f92", minimal: allActions,
                     lives: 4, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(0xBA, 0xB9, 0xB8), &p)
            p.terminal = ram[0xA3] != 0
            p.lives = ram[0xBB] + 1
        },
        GameSettings(name: "up_n_down", md5: "a499d720e7ee35c62424de882a3351b6",
                     minimal: actions("NOOP FIRE UP DOWN UPFIRE DOWNFIRE"),
                     lives: 5, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(0x82, 0x81, 0x80), &p)
            let livesByte = ram[0x86] & 0xF
            p.terminal = ram[0x94] > 0x40 && livesByte == 0
            p.lives = livesByte + 1
        },
        // Beyond the Atari-100k set.
        GameSettings(name: "space_invaders", md5: "72ffbef6504b75e69ee1045af9075f66",
                     minimal: actions("NOOP FIRE RIGHT LEFT RIGHTFIRE LEFTFIRE"),
                     lives: 3, zeroLivesWhenTerminal: true) { ram, p in
            let score = ram.bcd(0xE8, 0xE6)
            // The score wraps at 10,000.
            p.reward = score - p.score
            if p.reward < 0 { p.reward = (10_000 - p.score) + score }
            p.score = score
            p.lives = ram[0xC9]
            p.terminal = ram[0x98] & 0x80 != 0 || p.lives == 0
        },
        GameSettings(name: "beam_rider", md5: "79ab4123a83dc11d468fb2108ea09e2e",
                     minimal: actions("NOOP FIRE UP RIGHT LEFT UPRIGHT UPLEFT RIGHTFIRE LEFTFIRE"),
                     lives: 3, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(9, 10, 11), &p)
            // A life counts as lost only once the death sequence flag ($8C) says so.
            let newLives = ram[0x85] + 1
            if newLives == p.lives - 1 {
                if ram[0x8C] == 0x01 { p.lives = newLives }
            } else {
                p.lives = newLives
            }
            p.terminal = ram[5] == 255
        },
        GameSettings(name: "enduro", md5: "94b92a882f6dbaa6993a46e2dcc58402",
                     minimal: actions("NOOP FIRE RIGHT LEFT DOWN DOWNRIGHT DOWNLEFT RIGHTFIRE LEFTFIRE")) { ram, p in
            // Cars passed: 200 on day 1, 300 on every later day; the RAM counts cars left.
            var score = 0
            let level = ram[0xAD]
            if level != 0 {
                var passed = ram.bcd(0xAB, 0xAC)
                passed = (level == 1 ? 200 : 300) - passed
                if level >= 2 { score = 200 + (level - 2) * 300 }
                score += passed
            }
            scored(score, &p)
            p.terminal = ram[0xAF] == 0xFF
        },
        GameSettings(name: "montezuma_revenge", md5: "3347a6dd59049b15a38394aa2dafa585", minimal: allActions,
                     lives: 6, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(0x95, 0x94, 0x93), &p)
            let newLives = ram[0xBA]
            p.terminal = newLives == 0 && ram[0xFE] == 0x60
            p.lives = (newLives & 0x7) + 1
        },
        GameSettings(name: "asteroids", md5: "ccbd36746ed4525821a8083b0d6d2c2c",
                     minimal: actions("NOOP FIRE UP RIGHT LEFT DOWN UPRIGHT UPLEFT UPFIRE RIGHTFIRE LEFTFIRE DOWNFIRE UPRIGHTFIRE UPLEFTFIRE"),
                     lives: 4, zeroLivesWhenTerminal: true) { ram, p in
            let score = 10 * ram.bcd(0xBE, 0xBD)
            // The score wraps at 100,000.
            p.reward = score - p.score
            if p.reward < 0 { p.reward += 100_000 }
            p.score = score
            p.lives = ram[0xBC] >> 4
            p.terminal = p.lives == 0
        },
        GameSettings(name: "atlantis", md5: "9ad36e699ef6f45d9eb6c4cf90475c9f",
                     minimal: actions("NOOP FIRE RIGHTFIRE LEFTFIRE"),
                     lives: 6, zeroLivesWhenTerminal: true) { ram, p in
            let score = 100 * (ram.bcd(0xA2) + 100 * ram.bcd(0xA3) + 10_000 * ram.bcd(0xA1))
            let old = p.score
            scored(score, &p)
            p.lives = ram[0xF1]
            p.terminal = p.lives == 0xFF
            // The score ALE remembers stays the last one before the game ended.
            if p.terminal { p.score = old }
        },
        GameSettings(name: "centipede", md5: "91c2098e88a6b13f977af8c003e0bca5", minimal: allActions,
                     lives: 3, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(118, 117, 116), &p)
            p.reward = max(p.reward, 0)
            p.lives = ((ram[0xED] >> 4) & 0x7) + 1
            p.terminal = ram[0xA6] & 0x40 != 0
        },
        GameSettings(name: "fishing_derby", md5: "b8865f05676e64f3bec72b9defdacfa7", minimal: allActions) { ram, p in
            scored(ram.bcd(0xBD) - ram.bcd(0xBE), &p)
            p.terminal = ram[0xBD] == 0x99 || ram[0xBE] == 0x99
        },
        GameSettings(name: "bowling", md5: "c9b7afad3bfd922e006a6bfc1d4f3fe7",
                     minimal: actions("NOOP FIRE UP DOWN UPFIRE DOWNFIRE")) { ram, p in
            scored(ram.bcd(0xA1, 0xA6), &p)
            p.terminal = ram[0xA4] > 0x10
        },
        GameSettings(name: "ice_hockey", md5: "a4c08c4994eb9d24fb78be1793e82e26", minimal: allActions) { ram, p in
            let score = ram.bcd(0x8A) - ram.bcd(0x8B)
            p.reward = min(score - p.score, 1)
            p.score = score
            p.terminal = ram[0x87] == 0 && ram[0x86] == 0
        },
        GameSettings(name: "name_this_game", md5: "36306070f0c90a72461551a7a4f3a209",
                     minimal: actions("NOOP FIRE RIGHT LEFT RIGHTFIRE LEFTFIRE"),
                     lives: 3, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(0xC6, 0xC5, 0xC4), &p)
            p.lives = ram[0xC7] & 0x7
            p.terminal = p.lives == 0
        },
        GameSettings(name: "phoenix", md5: "7e52a95074a66640fcfde124fffd491a",
                     minimal: actions("NOOP FIRE RIGHT LEFT DOWN RIGHTFIRE LEFTFIRE DOWNFIRE"),
                     lives: 5, zeroLivesWhenTerminal: true) { ram, p in
            scored(10 * (10 * ram.bcd(0xC8, 0xC9) + (ram[0xC7] >> 4)), &p)
            p.terminal = ram[0xCC] == 0x80
            p.lives = ram[0xCB] & 0x7
        },
        GameSettings(name: "time_pilot", md5: "fc2104dd2dadf9a6176c1c1c8f87ced9",
                     minimal: actions("NOOP FIRE UP RIGHT LEFT DOWN UPFIRE RIGHTFIRE LEFTFIRE DOWNFIRE"),
                     lives: 5, zeroLivesWhenTerminal: true) { ram, p in
            scored(100 * ram.bcd(0x8D, 0x8F), &p)
            p.terminal = ram[0xA0] != 0
            // Lives are read only on the playing screen ($80 low nibble 2).
            if ram[0x80] & 0xF == 2 { p.lives = (ram[0x8B] & 0x7) + 1 }
        },
        GameSettings(name: "venture", md5: "3e899eba0ca8cd2972da1ae5479b4f0d", minimal: allActions,
                     lives: 4, zeroLivesWhenTerminal: true) { ram, p in
            scored(100 * ram.bcd(0xC8, 0xC7), &p)
            let livesByte = ram[0xC6]
            p.terminal = livesByte == 0 && ram[0xCD] == 0xFF && ram[0xBF] & 0x80 != 0
            p.lives = (livesByte & 0x7) + 1
        },
        GameSettings(name: "zaxxon", md5: "eea0da9b987d661264cce69a7c13c3bd", minimal: allActions,
                     lives: 5, zeroLivesWhenTerminal: true) { ram, p in
            scored(100 * ram.bcd(0xE9, 0xE8), &p)
            p.lives = ram[0xEA] & 0x7
            p.terminal = p.lives == 0
        },
        GameSettings(name: "wizard_of_wor", md5: "7e8aa18bc9502eb57daaf5e7c1e94da7",
                     minimal: actions("NOOP FIRE UP RIGHT LEFT DOWN UPFIRE RIGHTFIRE LEFTFIRE DOWNFIRE"),
                     lives: 3, zeroLivesWhenTerminal: true) { ram, p in
            var score = ram.bcd(0x86, 0x88)
            if score >= 8000 { score -= 8000 }
            scored(100 * score, &p)
            let newLives = ram[0x8D] & 15
            p.terminal = newLives == 0 && ram[0xF4] == 0xF8
            // Lives are read only while the player waits to enter ($D7 bit 0 clear).
            if ram[0xD7] & 0x1 == 0 { p.lives = newLives }
        },
        GameSettings(name: "tutankham", md5: "085322bae40d904f53bdcc56df0593fc",
                     minimal: actions("NOOP UP RIGHT LEFT DOWN UPFIRE RIGHTFIRE LEFTFIRE"),
                     lives: 3, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(0x9C, 0x9A), &p)
            let livesByte = ram[0x9E]
            p.terminal = livesByte == 0 && ram[0x81] != 0x84
            p.lives = livesByte & 0x3
        },
        GameSettings(name: "star_gunner", md5: "a3c1c70024d7aabb41381adbfb6d3b25", minimal: allActions,
                     lives: 5, zeroLivesWhenTerminal: true) { ram, p in
            // Four digits in the low nibbles of $83-$86, lowest first.
            scored(100 * ram.lowNibbleDigits(from: 0x83, count: 4), &p)
            let livesByte = ram[0x87]
            p.terminal = livesByte == 0
            if livesByte == 0x05 { p.started = true }
            p.lives = p.started ? livesByte & 0xF : 5
        },
        // The rest of the 57-game set.
        GameSettings(name: "berzerk", md5: "136f75c4dd02c29283752b7e5799f978", minimal: allActions,
                     lives: 3, zeroLivesWhenTerminal: true) { ram, p in
            // ALE names these bytes in decimal: $DF, $DE, $DD.
            scored(ram.bcd(95, 94, 93), &p)
            let livesByte = ram[0xDA]
            p.terminal = livesByte == 0xFF
            p.lives = livesByte + 1
        },
        GameSettings(name: "defender", md5: "0f643c34e40e3f1daafd9c524d3ffe64", minimal: allActions,
                     lives: 3, zeroLivesWhenTerminal: true) { ram, p in
            // Six digits in the low nibbles of $9C-$A1, lowest first.
            scored(ram.lowNibbleDigits(from: 0x9C, count: 6), &p)
            p.lives = ram[0xC2]
            p.terminal = p.lives == 0
        },
        GameSettings(name: "double_dunk", md5: "368d88a6c071caba60b4f778615aae94", minimal: allActions,
                     menu: MenuSelection(selectFrames: 1, lineAddress: 0xB0, optionsAddress: 0x80, skippedLines: 2,
                                         // 3-point shots, 10-second rule, 3-second rule, fouls: all off (mode 0).
                                         options: [(0x08, false), (0x10, false), (0x04, false), (0x20, false)],
                                         afterReset: [upFire, noop]),
                     starting: [upFire]) { ram, p in
            let mine = ram.bcd(0xF6), theirs = ram.bcd(0xF7)
            scored(mine - theirs, &p)
            p.terminal = (mine >= 24 || theirs >= 24) && ram[0xFE] == 0xE7
        },
        GameSettings(name: "gravitar", md5: "8ac18076d01a6b63acf6e2cab4968940", minimal: allActions,
                     lives: 6, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(9, 8, 7), &p)
            // $81 is the screen: 0 the start screen (6 lives shown), 1 game over.
            let screen = ram[0x81]
            p.terminal = screen == 0x01
            p.lives = screen == 0 ? 6 : ram[0x84] + 1
        },
        GameSettings(name: "pitfall", md5: "3e90cf23106f2e08b2781e41299de556", minimal: allActions,
                     lives: 3, score: 2000, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(0xD7, 0xD6, 0xD5), &p)
            let livesNibble = ram[0x80] >> 4
            // $9E is non-zero while the player cannot move.
            p.terminal = livesNibble == 0 && ram[0x9E] != 0
            p.lives = livesNibble == 0xA ? 3 : (livesNibble == 0x8 ? 2 : 1)
        },
        GameSettings(name: "riverraid", md5: "393948436d1f4cc3192410bb918f9724", minimal: allActions,
                     lives: 4, memo: 0x58, zeroLivesWhenTerminal: true) { ram, p in
            // Six digits stored as 8-pixel offsets at odd addresses 77-87 (decimal), highest
            // first; any other value reads as 0.
            var score = 0
            for address in stride(from: 77, through: 87, by: 2) {
                let value = ram[address]
                score = 10 * score + (value % 8 == 0 && value <= 72 ? value / 8 : 0)
            }
            scored(score, &p)
            // The lives byte is $58 before the first life starts and $59 on the last one.
            let livesByte = ram[0xC0]
            p.terminal = livesByte == 0x58 && p.memo == 0x59
            p.memo = livesByte
            p.lives = livesByte == 0x58 ? 4 : (livesByte == 0x59 ? 1 : livesByte / 8 + 1)
        },
        GameSettings(name: "robotank", md5: "4f618c2429138e0280969193ed6c107e", minimal: allActions,
                     lives: 4, zeroLivesWhenTerminal: true) { ram, p in
            // Tanks destroyed: 12 per squadron.
            scored(12 * ram[0xB6] + ram[0xB5], &p)
            let livesByte = ram[0xA8]
            p.terminal = livesByte == 0 && ram[0xB4] == 0xFF
            p.lives = (livesByte & 0xF) + 1
        },
        GameSettings(name: "skiing", md5: "b76fbadc8ffb1f83e2ca08b6fb4d6c9f", minimal: actions("NOOP RIGHT LEFT")) { ram, p in
            // The score is the elapsed time in centiseconds; every one costs a point.
            let time = 6000 * ram[0xE8] + ram.bcd(0xEA, 0xE9)
            p.reward = p.score - time
            p.score = time
            p.terminal = ram[0x91] == 0xFF
        },
        GameSettings(name: "solaris", md5: "e72eb8d4410152bdcb69e7fba327b420", minimal: allActions,
                     lives: 3, zeroLivesWhenTerminal: true) { ram, p in
            scored(10 * ram.bcd(0xDC, 0xDD, 0xDE), &p)
            let livesByte = ram[0xD9]
            p.terminal = livesByte == 0
            p.lives = livesByte & 0xF
        },
        GameSettings(name: "surround", md5: "4d7517ae69f95cfbc053be01312b7dba", minimal: actions("NOOP UP RIGHT LEFT DOWN"),
                     lives: 1, zeroLivesWhenTerminal: true) { ram, p in
            let theirs = ram.bcd(0xF6), mine = ram.bcd(0xF7)
            scored(mine - theirs, &p)
            p.terminal = theirs == 10 || mine == 10
        },
        GameSettings(name: "tennis", md5: "42cdd6a9e42a3639e190722b8ea3fc51", minimal: allActions) { ram, p in
            // Reward follows the game difference when a game is won, else the point difference;
            // `score` keeps the last point difference and `memo` the last game difference.
            let pointDelta = ram[0xC5] - ram[0xC6]
            let mine = ram[0xC7], theirs = ram[0xC8]
            let gameDelta = mine - theirs
            if p.memo != gameDelta {
                p.reward = gameDelta - p.memo
            } else if p.score != pointDelta {
                p.reward = pointDelta - p.score
            } else {
                p.reward = 0
            }
            p.memo = gameDelta
            p.score = pointDelta
            p.terminal = (mine >= 6 && gameDelta >= 2) || (theirs >= 6 && -gameDelta >= 2) || mine == 7 || theirs == 7
        },
        GameSettings(name: "video_pinball", md5: "107cc025334211e6d29da0b6be46aec7",
                     minimal: actions("NOOP FIRE UP RIGHT LEFT DOWN UPFIRE RIGHTFIRE LEFTFIRE"),
                     lives: 3, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(0xB0, 0xB2, 0xB4), &p)
            p.terminal = ram[0xAF] & 0x1 != 0
            // The RAM counts the ball in play (1-3) and, elsewhere, an extra ball.
            p.lives = 4 + (ram[0xA8] & 0x1) - (ram[0x99] & 0x7)
        },
        GameSettings(name: "yars_revenge", md5: "c5930d0e8cdae3e037349bfa08e871be", minimal: allActions,
                     lives: 4, zeroLivesWhenTerminal: true) { ram, p in
            scored(ram.bcd(0xE2, 0xE1, 0xE0), &p)
            p.lives = ram[0x9E] >> 4
            p.terminal = p.lives == 0
        },
    ]

    /// The usual update: reward is the change of score.
    @inline(__always)
    static func scored(_ score: Int, _ p: inout GameProgress) {
        p.reward = score - p.score
        p.score = score
    }
}
