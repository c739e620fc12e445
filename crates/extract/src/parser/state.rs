//! The arc-standard transition system (Nivre 2004): a stack, a buffer of
//! the words still to read, and three moves — shift the next word, or join
//! the two words on top of the stack by a left or a right arc.

use super::Relation;

/// A move of the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Move {
    /// Pushes the next word.
    Shift,
    /// Makes the second word on the stack a dependent of the top one.
    Left(Relation),
    /// Makes the top word a dependent of the second one.
    Right(Relation),
}

impl Move {
    /// Number of moves: shift, and a left and a right arc per relation.
    pub(super) const COUNT: usize = 1 + 2 * Relation::COUNT;

    /// The move's index, 0..[`Move::COUNT`].
    pub(super) fn index(self) -> usize {
        match self {
            Self::Shift => 0,
            Self::Left(r) => 1 + 2 * r as usize,
            Self::Right(r) => 2 + 2 * r as usize,
        }
    }

    /// The move at `index`.
    pub(super) fn from_index(index: usize) -> Option<Self> {
        match index {
            0 => Some(Self::Shift),
            i => {
                let relation = Relation::from_index((i - 1) / 2)?;
                Some(if i % 2 == 1 {
                    Self::Left(relation)
                } else {
                    Self::Right(relation)
                })
            }
        }
    }
}

/// Stands for the root above the sentence's words on the stack.
pub(super) const ROOT: u16 = u16::MAX;

/// A parser configuration over a sentence of `len` words.
#[derive(Debug, Clone)]
pub(super) struct State {
    /// Word indexes; [`ROOT`] at the bottom.
    pub(super) stack: Vec<u16>,
    /// The next word of the buffer.
    pub(super) next: usize,
    len: usize,
    /// Each word's head once attached ([`ROOT`] for the sentence's head).
    pub(super) heads: Vec<Option<u16>>,
    pub(super) relations: Vec<Relation>,
    /// Each word's two leftmost and two rightmost dependents (nearest the
    /// edge first), and how many it has on each side.
    pub(super) left: Vec<[Option<u16>; 2]>,
    pub(super) right: Vec<[Option<u16>; 2]>,
    pub(super) left_count: Vec<u8>,
    pub(super) right_count: Vec<u8>,
}

impl State {
    /// The start: the root on the stack, every word in the buffer.
    pub(super) fn new(len: usize) -> Self {
        Self {
            stack: vec![ROOT],
            next: 0,
            len,
            heads: vec![None; len],
            relations: vec![Relation::Dep; len],
            left: vec![[None; 2]; len],
            right: vec![[None; 2]; len],
            left_count: vec![0; len],
            right_count: vec![0; len],
        }
    }

    /// Whether every word is attached.
    pub(super) fn is_final(&self) -> bool {
        self.next == self.len && self.stack.len() == 1
    }

    /// The `depth`-th word from the top of the stack (0 = top), if a word.
    pub(super) fn stack_word(&self, depth: usize) -> Option<u16> {
        self.stack
            .len()
            .checked_sub(depth + 1)
            .map(|i| self.stack[i])
            .filter(|&w| w != ROOT)
    }

    /// The `offset`-th word of the buffer (0 = next).
    pub(super) fn buffer_word(&self, offset: usize) -> Option<u16> {
        let i = self.next + offset;
        (i < self.len).then_some(i as u16)
    }

    /// Whether `m` can be made here. Only the sentence's head is attached to
    /// the root, by [`Relation::Root`], once every other word is read.
    pub(super) fn allows(&self, m: Move) -> bool {
        let depth = self.stack.len();
        match m {
            Move::Shift => self.next < self.len,
            Move::Left(r) => {
                depth >= 3 && r != Relation::Root // the second word is no root
            }
            Move::Right(r) => {
                let onto_root = depth == 2;
                depth >= 2
                    && (onto_root == (r == Relation::Root))
                    && (!onto_root || self.next == self.len)
            }
        }
    }

    /// Makes move `m`, which must be allowed.
    pub(super) fn apply(&mut self, m: Move) {
        match m {
            Move::Shift => {
                self.stack.push(self.next as u16);
                self.next += 1;
            }
            Move::Left(r) => {
                let top = self.stack.pop().expect("allowed: two words on the stack");
                let dependent = self.stack.pop().expect("allowed: two words on the stack");
                self.attach(dependent, top, r, true);
                self.stack.push(top);
            }
            Move::Right(r) => {
                let top = self.stack.pop().expect("allowed: a word on the stack");
                let head = *self.stack.last().expect("allowed: the root below");
                self.attach(top, head, r, false);
            }
        }
    }

    fn attach(&mut self, dependent: u16, head: u16, relation: Relation, leftward: bool) {
        let d = usize::from(dependent);
        self.heads[d] = Some(head);
        self.relations[d] = relation;
        if head == ROOT {
            return;
        }
        let h = usize::from(head);
        // Arc-standard attaches left dependents right to left and right
        // dependents left to right: the newest is the one nearest the edge.
        let (edge, count) = if leftward {
            (&mut self.left[h], &mut self.left_count[h])
        } else {
            (&mut self.right[h], &mut self.right_count[h])
        };
        edge[1] = edge[0];
        edge[0] = Some(dependent);
        *count = count.saturating_add(1);
    }

    /// The move that keeps a gold tree reachable (the static oracle), or
    /// `None` where the tree is not projective and none does.
    pub(super) fn oracle(
        &self,
        gold_heads: &[Option<usize>],
        gold_relations: &[Relation],
        dependents: &[usize],
    ) -> Option<Move> {
        let head_of = |w: u16| gold_heads[usize::from(w)].map_or(ROOT, |h| h as u16);
        if self.stack.len() >= 2 {
            let top = self.stack[self.stack.len() - 1];
            let second = self.stack[self.stack.len() - 2];
            if second != ROOT && head_of(second) == top {
                return Some(Move::Left(gold_relations[usize::from(second)]));
            }
            let t = usize::from(top);
            let attached = usize::from(self.left_count[t]) + usize::from(self.right_count[t]);
            if head_of(top) == second && attached == dependents[t] {
                let m = Move::Right(gold_relations[t]);
                return self.allows(m).then_some(m);
            }
        }
        (self.next < self.len).then_some(Move::Shift)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_round_trip_through_their_index() {
        for i in 0..Move::COUNT {
            assert_eq!(Move::from_index(i).map(Move::index), Some(i));
        }
        assert_eq!(Move::from_index(Move::COUNT), None);
    }

    #[test]
    fn the_oracle_rebuilds_a_projective_tree() {
        // "Iran attacked ships": attacked is the head.
        let heads = [Some(1), None, Some(1)];
        let relations = [Relation::Nsubj, Relation::Root, Relation::Obj];
        let dependents = [0, 2, 0];
        let mut state = State::new(3);
        while !state.is_final() {
            let m = state.oracle(&heads, &relations, &dependents).unwrap();
            state.apply(m);
        }
        assert_eq!(state.heads, vec![Some(1), Some(ROOT), Some(1)]);
        assert_eq!(state.relations, relations.to_vec());
    }
}
