//! ReDial dialogues (Li et al., NeurIPS 2018; CC BY 4.0): one JSON object a line with
//! `conversationId`, `initiatorWorkerId` (the seeker), `respondentWorkerId` (the
//! recommender), `messages` (`text` with `@movieId` mentions, `senderWorkerId`) and the two
//! questionnaires (`initiatorQuestions`, `respondentQuestions`: per movie `suggested`,
//! `seen`, `liked` with 0 = no, 1 = yes, 2 = did not say; an empty one is written `[]`).
//!
//! A line goes in; an [`Interaction`] comes out: the movies in the order they were first
//! mentioned, the seeker's liked / disliked answers (the seeker's own questionnaire first,
//! the recommender's where the seeker gave none), and the utterances with consecutive
//! messages of one side merged.

use serde::Deserialize;
use serde_json::Value;

use super::{id_of, push_once, Interaction, Utterance};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Raw {
    conversation_id: Value,
    messages: Vec<Message>,
    initiator_worker_id: Value,
    #[serde(default)]
    initiator_questions: Value,
    #[serde(default)]
    respondent_questions: Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Message {
    text: String,
    sender_worker_id: Value,
}

/// The `@123` mentions of a text, in order, each once.
#[must_use]
pub fn mention_ids(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        let after = &rest[at + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            push_once(&mut out, &after[..digits]);
        }
        rest = &after[digits..];
    }
    out
}

/// The answer `field` ("liked", "seen", "suggested") of a questionnaire for a movie.
fn answer(q: &Value, movie: &str, field: &str) -> Option<u64> {
    q.get(movie)?.get(field)?.as_u64()
}

/// Parse one dialogue line.
pub fn interaction(line: &str) -> std::result::Result<Interaction, String> {
    let raw: Raw = serde_json::from_str(line).map_err(|e| format!("not a ReDial dialogue: {e}"))?;
    let id = id_of(&raw.conversation_id)
        .ok_or("field `conversationId`: expected a string or an integer")?;
    if raw.messages.is_empty() {
        return Err("field `messages`: the dialogue has no messages".into());
    }
    let seeker = id_of(&raw.initiator_worker_id)
        .ok_or("field `initiatorWorkerId`: expected a string or an integer")?;
    let mut turns: Vec<Utterance> = Vec::new();
    let mut items = Vec::new();
    for m in &raw.messages {
        let from_seeker = id_of(&m.sender_worker_id).as_deref() == Some(seeker.as_str());
        let text = m.text.trim();
        match turns.last_mut() {
            Some(t) if t.seeker == from_seeker => {
                t.text.push(' ');
                t.text.push_str(text);
            }
            _ => turns.push(Utterance {
                seeker: from_seeker,
                text: text.to_string(),
                items: Vec::new(),
            }),
        }
    }
    for t in &mut turns {
        t.items = mention_ids(&t.text);
        for i in &t.items {
            push_once(&mut items, i);
        }
    }
    if !turns.iter().any(|t| t.seeker) {
        return Err("no message from the seeker (`initiatorWorkerId`)".into());
    }
    let (mut liked, mut disliked) = (Vec::new(), Vec::new());
    for movie in &items {
        let said = answer(&raw.initiator_questions, movie, "liked")
            .filter(|&a| a < 2)
            .or_else(|| answer(&raw.respondent_questions, movie, "liked").filter(|&a| a < 2));
        match said {
            Some(1) => liked.push(movie.clone()),
            Some(0) => disliked.push(movie.clone()),
            _ => {}
        }
    }
    Ok(Interaction {
        key: format!("redial:{id}"),
        items,
        liked,
        disliked,
        turns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = r#"{"movieMentions": {"1": "A (2000)", "2": "B"}, "conversationId": "9",
      "initiatorWorkerId": 5, "respondentWorkerId": 6,
      "initiatorQuestions": {"1": {"suggested": 0, "seen": 1, "liked": 1},
                             "2": {"suggested": 1, "seen": 0, "liked": 2}},
      "respondentQuestions": {"2": {"suggested": 1, "seen": 0, "liked": 0}},
      "messages": [{"text": "hi", "senderWorkerId": 5}, {"text": "I loved @1", "senderWorkerId": 5},
                   {"text": "try @2 or @2", "senderWorkerId": 6}]}"#;

    #[test]
    fn dialogue_lines() {
        let i = interaction(LINE).expect("parses");
        assert_eq!(i.key, "redial:9");
        assert_eq!(i.items, ["1", "2"]);
        assert_eq!(
            (i.liked.clone(), i.disliked.clone()),
            (vec!["1".to_string()], vec!["2".to_string()])
        );
        assert_eq!(i.turns.len(), 2);
        assert!(i.turns[0].seeker && !i.turns[1].seeker);
        assert_eq!(i.turns[0].text, "hi I loved @1");
        assert_eq!(i.turns[1].items, ["2"]);
        let empty_q = LINE.replace(
            r#""respondentQuestions": {"2": {"suggested": 1, "seen": 0, "liked": 0}}"#,
            r#""respondentQuestions": []"#,
        );
        assert!(interaction(&empty_q).is_ok_and(|i| i.disliked.is_empty()));
        for (line, why) in [
            ("{}", "not a ReDial dialogue"),
            (
                r#"{"conversationId": 1, "initiatorWorkerId": 1, "messages": []}"#,
                "no messages",
            ),
            (
                r#"{"conversationId": 1, "initiatorWorkerId": 1, "messages": [{"text": "x", "senderWorkerId": 2}]}"#,
                "no message from the seeker",
            ),
        ] {
            let e = interaction(line).expect_err(line);
            assert!(e.contains(why), "{line}: {e}");
        }
        assert_eq!(mention_ids("@12 a@ @x @3 @12"), ["12", "3"]);
    }
}
