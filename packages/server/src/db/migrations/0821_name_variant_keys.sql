-- Name search keys fold the common 人名 異体字 (packages/domain/src/kanji-variants.ts, used by
-- foldName for new and changed persons and for every query): the keys stored before are
-- recomputed here. The persons trigger of 0201 then refreshes the search keys of their cases.
-- The two strings are that table, variant for key character; a test holds them to it.
update persons
set name_kanji_folded = translate(
  regexp_replace(name_kanji_folded, '[\uFE00-\uFE0F\U000E0100-\U000E01EF]', '', 'g'),
  '斎齋齊髙邊邉﨑嵜碕澤濱櫻廣國德榮瀨冨嶋嶌槗𠮷眞惠實壽萬與藏嶽條渕龍關檜禮鐵圓埜凜遙曾槇黑來龜學晉峯舘恆彌會總傳顯應豐亞郞桒栁澁澀靜淺壺', -- variants
  '斉斉斉高辺辺崎崎崎沢浜桜広国徳栄瀬富島島橋吉真恵実寿万与蔵岳条淵竜関桧礼鉄円野凛遥曽槙黒来亀学晋峰館恒弥会総伝顕応豊亜郎桑柳渋渋静浅壷' -- keys
)
where name_kanji_folded ~ '[斎齋齊髙邊邉﨑嵜碕澤濱櫻廣國德榮瀨冨嶋嶌槗𠮷眞惠實壽萬與藏嶽條渕龍關檜禮鐵圓埜凜遙曾槇黑來龜學晉峯舘恆彌會總傳顯應豐亞郞桒栁澁澀靜淺壺\uFE00-\uFE0F\U000E0100-\U000E01EF]';
