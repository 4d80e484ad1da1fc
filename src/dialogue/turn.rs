//! [`Agent::turn`]: understand the turn, act on it (remember feedback, change the
//! constraints, retrieve cards), generate the grounded answer, and commit the turn.

use std::{collections::HashSet, time::Instant};

use super::{
    generate::{self, Plan},
    questions::none_match,
    reading::{
        dismissed, mark_clause_verdicts, missing_facts, plays_together, refine_beside_verdict,
    },
    route::{Action, CardQuestion, FeedbackKind},
    sale,
    understand::Understood,
    verdict::verdict,
    words::{
        asks_about_item, clean_turn, content_words, says_liked, search_words, strip_start_over,
        without_named,
    },
    Agent, Answer, Candidate, Conversation, IntentReport, ItemRef, Sink, Timings,
};
use crate::{
    catalog::Item,
    generate::{prompt::PromptKind, Generator},
    retrieve::anchor::Named,
    store::{Role, Turn},
    Result,
};

impl Agent {
    /// Run one turn: understand, act, generate (when a model is given), commit.
    pub async fn turn(
        &self,
        conv: &mut Conversation,
        text: &str,
        generator: Option<&dyn Generator>,
        sink: &mut dyn Sink,
    ) -> Result<Answer> {
        let t0 = Instant::now();
        let text = clean_turn(text)?;
        // "Thank you. Can you think of one more?" is heard as its request (the turn is kept
        // whole).
        let heard = super::cues::without_opening_thanks(&text).to_string();
        let u = self.understand(conv, &heard)?;
        sink.understood(&u);
        let mut timings = Timings {
            understand: u.ms,
            classify: u.classify_ms,
            ..Timings::default()
        };
        let plan = self.act(conv, &heard, &u)?;
        timings.retrieve = t0.elapsed().as_secs_f64() * 1e3;
        let items = self.searcher.retriever.items();
        if let Some(cards) = &plan.cards {
            let shown: Vec<&Item> = cards.iter().map(|&i| &items[i]).collect();
            sink.cards(&shown);
            timings.first_card = Some(t0.elapsed().as_secs_f64() * 1e3);
        }
        // The catalog's own line ("Yes: Portal 2 is tagged Co-op.") comes first, then the answer.
        let preface = plan
            .preface
            .clone()
            .or_else(|| {
                plan.cards
                    .is_some()
                    .then(|| super::talk::no_cast(&self.searcher.retriever, &text))
                    .flatten()
            })
            .unwrap_or_default();
        if !preface.is_empty() {
            sink.token(&preface);
        }
        let mut out = generate::run(self, conv, &text, &plan, generator, sink, t0).await?;
        out.text.insert_str(0, &preface);
        timings.first_token = out.first_token;
        timings.total = t0.elapsed().as_secs_f64() * 1e3;
        let r = &self.searcher.retriever;
        let answer = Answer {
            session: conv.id().to_string(),
            intent: IntentReport::from(&u.intent),
            action: u.route.action.name(),
            constraints: conv
                .state
                .constraints
                .describe(&|id| r.by_id(id).map(|i| i.title.clone())),
            candidates: plan
                .cards
                .iter()
                .flatten()
                .map(|&i| Candidate::of(&items[i]))
                .collect(),
            about: plan.about.iter().map(|&i| ItemRef::of(&items[i])).collect(),
            picks: out.picks,
            text: out.text,
            raw: out.raw,
            mentions: out.mentions,
            grounding: out.grounding,
            timings_ms: timings,
            generation: out.stats,
        };
        if let Some(cards) = &plan.cards {
            conv.state.reasons = cards
                .iter()
                .map(|&i| {
                    answer
                        .picks
                        .iter()
                        .find(|p| p.id == items[i].id)
                        .map(|p| p.reason.clone())
                        .unwrap_or_default()
                })
                .collect();
        }
        let mut user = Turn::new(Role::User, text.clone());
        user.intent = Some(answer.intent.label.clone());
        user.confidence = Some(answer.intent.confidence);
        user.items = u
            .named
            .iter()
            .chain(&u.refused)
            .map(|n| items[n.index].id.clone())
            .collect();
        let mut reply = Turn::new(Role::Assistant, answer.text.clone());
        if plan.cards.is_some() {
            reply.items = conv.state.shown.clone();
            reply.reasons = conv.state.reasons.clone();
        } else {
            reply.items = answer.about.iter().map(|a| a.id.clone()).collect();
        }
        conv.prev_vector = None;
        conv.commit(&self.store, vec![user, reply])?;
        sink.done(&answer);
        Ok(answer)
    }

    /// Change the conversation for the turn and decide what to show and say.
    fn act(&self, conv: &mut Conversation, text: &str, u: &Understood) -> Result<Plan> {
        let r = &self.searcher.retriever;
        let ids =
            |v: &[usize]| -> Vec<String> { v.iter().map(|&i| r.items()[i].id.clone()).collect() };
        let named_ids = ids(&u.named.iter().map(|n| n.index).collect::<Vec<_>>());
        let mut all_named: Vec<Named> = u.named.iter().chain(&u.refused).cloned().collect();
        all_named.sort_by_key(|n| n.start);
        let request = without_named(text, &all_named);
        // "A strategy game, but not Age of Empires": never shown. Only where the turn asks for
        // items; a question ("can I play Portal 2 without Portal?") refuses nothing.
        let asks_items = matches!(
            u.route.action,
            Action::Recommend | Action::Refine | Action::More | Action::Feedback(_)
        );
        for n in u.refused.iter().filter(|_| asks_items) {
            conv.mark(&r.items()[n.index].id, crate::store::Feedback::Rejected);
        }
        let parsed = u.parsed.clone().unwrap_or_default();
        let targets = &u.route.targets;
        match u.route.action {
            Action::Recommend if u.route.by_makers => {
                self.by_makers(conv, text, u, targets.first().copied())
            }
            Action::Recommend => {
                conv.state.offered.clear();
                if u.route.fresh {
                    // (The turn's own mentions are remembered when it is committed.)
                    conv.state.request_at = Some(super::state::RequestStart {
                        turn: conv.user_turns(),
                        mentioned: conv.state.mentioned.len(),
                        liked: conv.session.liked.len(),
                    });
                }
                conv.state.constraints.replace(
                    &parsed,
                    &search_words(&parsed.text, plays_together(r)),
                    named_ids.clone(),
                );
                // "Something like Superbad but newer": against the items it names.
                let like: Vec<&Item> = named_ids.iter().filter_map(|id| r.by_id(id)).collect();
                conv.state.constraints.apply_relative(&u.relative, &like);
                // "I loved X and Y": liked; "I've seen X and Y": seen (and liked only if said).
                let seen_only = u.intent.has("SEE")
                    && !u.intent.has("PRO")
                    && !u.intent.has("ACC")
                    && !says_liked(text);
                // "But I've never watched Good Will Hunting": neither.
                let lower = text.to_lowercase();
                let unseen = super::phrases::NOT_SEEN.iter().any(|p| lower.contains(p));
                if (u.intent.has("PRO") || u.intent.has("SEE") || u.intent.has("ACC")) && !unseen {
                    let fb = if seen_only {
                        crate::store::Feedback::Seen
                    } else {
                        crate::store::Feedback::Liked
                    };
                    for id in &named_ids {
                        conv.mark(id, fb);
                    }
                }
                if u.intent.has("PRO") {
                    conv.session.prefer(&request);
                }
                self.recommend(conv, &dismissed(conv, text))
            }
            Action::Refine => {
                // Relative changes against the cards on screen, or against the items the
                // turn names ("more like Pulp Fiction but older").
                let shown: Vec<&Item> = if named_ids.is_empty() {
                    conv.state
                        .shown
                        .iter()
                        .filter_map(|id| r.by_id(id))
                        .collect()
                } else {
                    named_ids.iter().filter_map(|id| r.by_id(id)).collect()
                };
                let mut c = conv.state.constraints.clone();
                c.merge(
                    &parsed,
                    &search_words(&parsed.text, plays_together(r)),
                    ids(targets),
                );
                c.apply_relative(&u.relative, &shown);
                conv.state.constraints = c;
                // "I liked the second one, anything similar?"
                if says_liked(text) {
                    for id in ids(targets) {
                        conv.mark(&id, crate::store::Feedback::Liked);
                    }
                }
                if u.intent.has("PRO") {
                    conv.session.prefer(&request);
                }
                self.recommend(conv, &dismissed(conv, text))
            }
            Action::More => {
                // "I loved it, what else?": the card it points at, or else the card in
                // focus, was liked.
                if says_liked(text) {
                    let liked = match ids(targets) {
                        t if t.is_empty() => conv.state.focus.iter().cloned().collect(),
                        t => t,
                    };
                    for id in liked {
                        conv.mark(&id, crate::store::Feedback::Liked);
                    }
                }
                // "3 more": the count asked for.
                if let Some(n) = u.parsed.as_ref().and_then(|p| p.count) {
                    conv.state.constraints.count = Some(n);
                }
                // Never a card this request has shown already ("anything else?" twice).
                self.recommend(conv, &offered(conv))
            }
            Action::Feedback(kind) => {
                // "Loved #1, hated #3": each card its own verdict; the answer is about those of
                // the route's kind.
                let mixed = mark_clause_verdicts(r, conv, text, kind);
                let targets = mixed.as_ref().unwrap_or(targets);
                // "I've played the first one and loved it": seen, and liked.
                let also_liked = kind == FeedbackKind::Seen && says_liked(text);
                for id in ids(targets).iter().filter(|_| mixed.is_none()) {
                    conv.mark(id, kind.into());
                    if also_liked {
                        conv.mark(id, crate::store::Feedback::Liked);
                    }
                }
                conv.state.focus = ids(targets).last().cloned();
                match kind {
                    // "The third one sounds good, why that one?": noted, and answered.
                    FeedbackKind::Liked if asks_about_item(text) => {
                        Ok(Plan::prompt(PromptKind::AnswerItem, targets.clone())
                            .with_preface(Some(generate::noted_liked(r, targets))))
                    }
                    FeedbackKind::Liked => Ok(Plan::template(
                        generate::acknowledge(r, targets),
                        targets.clone(),
                    )),
                    FeedbackKind::Rejected | FeedbackKind::Seen => {
                        if conv.state.constraints.is_empty() && kind == FeedbackKind::Seen {
                            // "I've played X and Y": recommend from what they played.
                            conv.state.constraints.anchors = ids(targets);
                        }
                        // "Seen the first one, anything scarier?": and the request changes.
                        refine_beside_verdict(r, conv, &request);
                        // "I already played Stardew, anything else": other cards than these.
                        let lower = text.to_lowercase();
                        let others = super::phrases::OTHERS.iter().any(|p| lower.contains(p));
                        let skip = if others {
                            offered(conv)
                        } else {
                            HashSet::new()
                        };
                        let mut plan = self.recommend(conv, &skip)?;
                        plan.about = targets.clone();
                        Ok(plan)
                    }
                }
            }
            Action::Inquire if targets.is_empty() => {
                let shown = conv.state.shown.len();
                let answer = match u.route.question {
                    Some(CardQuestion::Sale) => sale::none_on_sale(r, shown),
                    // "Which one has the best reviews?" and no card has a review score.
                    Some(CardQuestion::Superlative(missing) | CardQuestion::Missing(missing)) => {
                        format!("The catalog has no {missing} for the cards on screen.\n")
                    }
                    // "Any of these multiplayer?" and none is.
                    _ => none_match(&parsed.filters, text, shown),
                };
                Ok(Plan::template(answer, Vec::new()))
            }
            Action::Inquire => {
                conv.state.focus = ids(targets).first().cloned();
                // "Is the second one multiplayer?": yes or no from the catalog first.
                let preface = match targets.as_slice() {
                    [one] if sale::asks_sale(&text.to_lowercase()) => sale::sale_verdict(r, *one),
                    many if sale::asks_sale(&text.to_lowercase()) => {
                        let mut lines: Vec<String> = many
                            .iter()
                            .filter_map(|&i| sale::sale_verdict(r, i))
                            .collect();
                        lines.dedup();
                        Some(lines.concat())
                    }
                    [one] => verdict(r, *one, &u.asked.clone().unwrap_or_default()),
                    _ => None,
                };
                let preface = preface.or_else(|| missing_facts(r, targets[0], text));
                Ok(Plan::prompt(PromptKind::AnswerItem, targets.clone()).with_preface(preface))
            }
            Action::Compare => {
                conv.state.focus = ids(targets).last().cloned();
                conv.state.compared = ids(targets);
                Ok(Plan::prompt(PromptKind::Compare, targets.clone()))
            }
            Action::ChitChat if super::cues::asks_about_reco(text) => {
                Ok(Plan::template(generate::capabilities(r), Vec::new()))
            }
            Action::ChitChat => {
                // "ill try the second one thanks, bye": the choice is liked.
                if super::sentiment::verdict(text) == Some(FeedbackKind::Liked) {
                    for id in ids(targets) {
                        conv.mark(&id, crate::store::Feedback::Liked);
                    }
                }
                Ok(Plan::prompt(PromptKind::SmallTalk, Vec::new()))
            }
            Action::StartOver => {
                conv.start_over();
                let rest = strip_start_over(&request);
                // "Forget that, show me some rhythm games", "ok start over, a thriller".
                let p = r.parse(&rest).unwrap_or_default();
                if content_words(&rest) >= 1 || !p.filters.is_empty() {
                    conv.state.constraints.replace(
                        &p,
                        &search_words(&p.text, plays_together(r)),
                        named_ids,
                    );
                    self.recommend(conv, &HashSet::new())
                } else {
                    Ok(Plan::template(
                        "Starting over. What are you in the mood for?".to_string(),
                        Vec::new(),
                    ))
                }
            }
        }
    }

    /// Retrieve cards for the active constraints; they become the cards on screen.
    pub(super) fn recommend(
        &self,
        conv: &mut Conversation,
        also_exclude: &HashSet<String>,
    ) -> Result<Plan> {
        let r = &self.searcher.retriever;
        let k = conv
            .state
            .constraints
            .count
            .map_or(self.options.candidates, |n| {
                n.clamp(1, crate::retrieve::filters::MAX_COUNT)
            });
        let cards = self.rank(conv, k, also_exclude)?;
        conv.state.shown = cards.iter().map(|&i| r.items()[i].id.clone()).collect();
        conv.state.compared.clear();
        for id in &conv.state.shown {
            if !conv.state.offered.contains(id) {
                conv.state.offered.push(id.clone());
            }
        }
        conv.state.reasons = vec![String::new(); cards.len()];
        conv.state.focus = conv.state.shown.first().cloned();
        Ok(Plan::cards(cards))
    }
}

/// The cards this request has shown (on screen and before).
fn offered(conv: &Conversation) -> HashSet<String> {
    conv.state
        .shown
        .iter()
        .chain(&conv.state.offered)
        .cloned()
        .collect()
}
