"""MASA: motion-aware masked autoencoder + momentum semantic alignment."""
from typing import Dict, List, Optional, Tuple, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModel, ExponentialMovingAverage
from torch import Tensor

from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from ..utils import pool_clip_features
from .batch_shuffle import batch_shuffle, batch_unshuffle
from .sequence_encoder import SequenceEncoder

__all__ = [
    'MASA', 'MOTION_FRAMES', 'frame_padding', 'random_frame_mask',
    'stack_views'
]

ENCODER_INPUTS = ('visible', 'mask_token')
KEY_VIEWS = ('sampled', 'masked')
MOTION_FRAMES = ('masked', 'all')
#: Top-level names of the decoder's state-dict entries, under ``neck.`` now
#: and under ``mask_head.`` in checkpoints from before the neck split.
NECK_KEYS = ('mask_token', 'pos_embed', 'input_proj', 'decoder')


def _sample_name(sample: ActionDataSample, index: int) -> str:
    """``frame_dir`` of a data sample, else its index in the batch."""
    return str(sample.metainfo.get('frame_dir', f'#{index}'))


def _field(sample: ActionDataSample, name: str, index: int) -> Tensor:
    """One field of a data sample, with a hint when it is missing."""
    if name not in sample:
        raise KeyError(f'data sample {_sample_name(sample, index)!r} lacks '
                       f'{name!r}; add it to PackSignInputs(algorithm_keys='
                       '...)')
    return sample.get(name)


def _pad_stack_field(data_samples: List[ActionDataSample], name: str,
                     num_frames: int) -> Tensor:
    """Stack one per-frame field (time first) of every data sample,
    zero-padding each to ``num_frames`` frames."""
    fields = [_field(s, name, i) for i, s in enumerate(data_samples)]
    for i, (sample, field) in enumerate(zip(data_samples, fields)):
        if len(field) > num_frames:
            raise ValueError(
                f'{name!r} of sample {_sample_name(sample, i)!r} has '
                f'{len(field)} frames, more than the {num_frames} of inputs')
    padded = nn.utils.rnn.pad_sequence(fields, batch_first=True)
    if padded.shape[1] < num_frames:
        pad = padded.new_zeros(
            len(fields), num_frames - padded.shape[1], *padded.shape[2:])
        padded = torch.cat([padded, pad], dim=1)
    return padded


def frame_padding(data_samples: List[ActionDataSample],
                  num_frames: int) -> Optional[Tensor]:
    """Which frames of a batch of right-padded clips are padding.

    Clips of different lengths are right-padded to the longest one by the
    data preprocessor; each sample's real length is its ``total_frames``
    metainfo (packed by ``PackSignInputs``; absent = ``num_frames``).

    Args:
        data_samples (list[ActionDataSample]): One per sample.
        num_frames (int): ``T`` of the batched inputs.

    Returns:
        Tensor, optional: ``(B, T)`` bool, True = padding; None when no
        sample is padded.
    """
    lengths = []
    for i, sample in enumerate(data_samples):
        length = int(sample.metainfo.get('total_frames', num_frames))
        if not 1 <= length <= num_frames:
            raise ValueError(
                f'sample {_sample_name(sample, i)!r} has total_frames='
                f'{length}, outside [1, {num_frames}] (the batch length)')
        lengths.append(length)
    if min(lengths) == num_frames:
        return None
    lengths = torch.tensor(lengths)
    return torch.arange(num_frames)[None] >= lengths[:, None]


def _first_person(pose: Tensor, lead: int, what: str) -> Tensor:
    """Person 0 of a single-clip pose tensor.

    Args:
        pose (Tensor): ``(*lead, [num_clips,] M, T, V, C)``, the layout of
            ``PackSignInputs`` (with ``num_clips``) or without the clip
            dim.
        lead (int): Number of leading (batch) dims.
        what (str): Name of the tensor, for errors.

    Returns:
        Tensor: ``(*lead, T, V, C)``.
    """
    if pose.dim() == lead + 5:
        if pose.shape[lead] != 1:
            raise ValueError(
                f'MASA pre-training takes one clip per sample, but {what} '
                f'has num_clips={pose.shape[lead]} (shape '
                f'{tuple(pose.shape)}); sample with num_clips=1')
        pose = pose.squeeze(lead)
    elif pose.dim() != lead + 4:
        raise ValueError(
            f'{what} must be ({"N, " * lead}[num_clips,] M, T, V, C), got '
            f'shape {tuple(pose.shape)}')
    return pose.select(lead, 0)


def stack_views(data_samples: List[ActionDataSample],
                name: str = 'view2') -> Tuple[Tensor, Tensor]:
    """Person 0 of every sample's second view, right-padded in time.

    Args:
        data_samples (list[ActionDataSample]): Each with ``name`` of shape
            ``([num_clips=1,] M, T2, V, C)``.
        name (str): The field. Defaults to 'view2'.

    Returns:
        tuple[Tensor, Tensor]: ``(N, T2max, V, C)`` poses (zeros after
        each view's end) and ``(N,)`` long, the length of each view, so
        views of different lengths batch together.
    """
    views = [
        _first_person(
            _field(s, name, i), 0,
            f'{name!r} of sample {_sample_name(s, i)!r}')
        for i, s in enumerate(data_samples)
    ]
    lengths = torch.tensor([len(v) for v in views], device=views[0].device)
    return nn.utils.rnn.pad_sequence(views, batch_first=True), lengths


def random_frame_mask(padding: Tensor, ratio: float) -> Tensor:
    """Mask ``max(1, round(ratio * n))`` random real frames of each
    right-padded clip of n real frames (halves up), keeping at least one
    unmasked (a clip of one frame is not masked).

    Args:
        padding (Tensor): ``(B, T)`` bool, True = padding frame.
        ratio (float): Fraction of the real frames to mask.

    Returns:
        Tensor: ``(B, T)`` bool, True = masked (never a padding frame).
    """
    lengths = (~padding).sum(1)
    counts = torch.floor(ratio * lengths + 0.5).long().clamp(min=1)
    counts = torch.minimum(counts, lengths - 1)
    scores = torch.rand(padding.shape, device=padding.device)
    scores = scores.masked_fill(padding, 2.0)
    rank = scores.argsort(1).argsort(1)
    return rank < counts[:, None]


def _flatten_clips(inputs: Tensor) -> Tensor:
    """``(N, num_clips, M, T, V, C)`` -> ``(N * num_clips, M, T, V, C)``;
    5-D inputs pass unchanged."""
    if inputs.dim() == 6:
        return inputs.flatten(0, 1)
    if inputs.dim() != 5:
        raise ValueError('inputs must be (N, [num_clips,] M, T, V, C), got '
                         f'shape {tuple(inputs.shape)}')
    return inputs


@MODELS.register_module()
class MASA(BaseModel):
    """MASA self-supervised pre-training (Eq. 9: ``L = L_m + lambda_s L_s``).

    In the shape of mmpretrain's ``BaseSelfSupervisor`` / ``MoCoV3``:

    - MA, in the shape of mmpretrain's MAE: the backbone encodes the
      visible frames of person 0 (frames with ``motion_mask`` False), the
      ``neck`` (:class:`MotionDecoder`) decodes all frames and
      ``mask_head`` (:class:`MotionPredictionHead`) predicts them, builds
      the target and returns ``L_m`` (Eq. 4).
    - SA: ``q = normalize(Proj_q(AvgPool(visible tokens)))``
      (:class:`SequenceEncoder` over ``backbone`` and
      ``align_head.projector``); the key ``k+`` comes from
      :attr:`momentum_encoder`, mmengine's
      :class:`~mmengine.model.ExponentialMovingAverage` of that encoder (as
      mmpretrain's MoCo v3 averages ``nn.Sequential(backbone, neck)``),
      updated before the keys are computed and never receiving gradients;
      the views are encoded batch-shuffled across ranks (MoCo's shuffling
      BN, see :mod:`.batch_shuffle`); ``align_head``
      (:class:`MomentumAlignmentHead`) returns ``L_s`` (Eq. 8) and
      enqueues the keys.

    Pre-training uses person 0 of the single clip of each sample
    (``num_clips > 1`` is an error).

    ``loss`` returns ``dict(loss_motion=L_m, loss_align=align_weight * L_s)``.
    :attr:`align_weight` is the current ``lambda_s``; the
    ``AlignWeightRampHook`` ramps it from 0 to 0.05 over 100 epochs. With
    ``align_weight == 0`` the SA branch still runs (the queue keeps filling
    and the EMA keeps tracking), its loss term is just zero.

    Ablations (Table VIII): ``align_head=None`` is MA only (no momentum
    branch, no ``view2`` needed); ``neck=None, mask_head=None`` is SA only,
    where the query encodes every frame (there is nothing to reconstruct,
    so no ``motion_*`` fields are needed).

    The backbone is kept as ``backbone.*`` in the state dict, so fine-tuning
    loads it with ``init_cfg=dict(type='Pretrained', checkpoint=...,
    prefix='backbone.')``. Checkpoints from before the decoder became the
    ``neck`` (``mask_head.decoder.*``, ...) load with their keys mapped to
    ``neck.*``.

    Released-code switches (they need ``MASABackbone(mask_token=True)``):
    ``encoder_input='mask_token'`` encodes every frame, the masked ones as
    the backbone's mask token and hidden as attention keys (BERT-style; the
    query pools every real frame), instead of the visible frames only;
    ``key_view='masked'`` makes the SA view the clip itself with a random
    ``key_mask_ratio`` of its frames masked the same way, instead of the
    sampled ``view2``.

    Args:
        backbone (dict): Config of :class:`MASABackbone`.
        neck (dict, optional): Config of :class:`MotionDecoder`; given
            exactly when ``mask_head`` is.
        mask_head (dict, optional): Config of :class:`MotionPredictionHead`.
        align_head (dict, optional): Config of
            :class:`MomentumAlignmentHead`.
        momentum (float): ``1 - mu`` for the key branch's EMA
            ``theta_k <- mu theta_k + (1 - mu) theta_q``, mmengine's (and
            mmpretrain MoCo v3's) convention: 0.004 is the paper's
            ``mu = 0.996``, 0.001 the released code's 0.999. Values of 0.5
            or more are refused (they are ``mu`` by mistake).
            Defaults to 0.004.
        align_weight (float): ``lambda_s`` until a hook changes it
            (paper's final value 0.05).
        encoder_input (str): ``'visible'`` (paper) or ``'mask_token'``.
            Defaults to 'visible'.
        key_view (str): ``'sampled'`` (paper, Eq. 5) or ``'masked'``.
            Defaults to 'sampled'.
        key_mask_ratio (float): Masked fraction of the ``'masked'`` key
            view. Defaults to 0.5.
        motion_frames (str): The frames ``L_m`` is taken on: ``'masked'``
            (Eq. 4) or ``'all'``: every real frame, the visible ones too,
            the encoder still seeing only the visible frames (ours, a
            switch: a target on 2-4 masked frames of a 30-frame clip is
            too sparse for MA to learn in the steps a CPU affords; see the
            README). Defaults to 'masked'.
        data_preprocessor (dict, optional): Defaults to
            ``dict(type='ActionDataPreprocessor')``.
        init_cfg (dict or list[dict], optional): Initialisation config.
            Defaults to None.
    """

    def __init__(self,
                 backbone: Dict,
                 neck: Optional[Dict] = None,
                 mask_head: Optional[Dict] = None,
                 align_head: Optional[Dict] = None,
                 momentum: float = 0.004,
                 align_weight: float = 0.05,
                 encoder_input: str = 'visible',
                 key_view: str = 'sampled',
                 key_mask_ratio: float = 0.5,
                 motion_frames: str = 'masked',
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        if mask_head is None and align_head is None:
            raise ValueError('MASA needs mask_head, align_head or both')
        if (neck is None) != (mask_head is None):
            raise ValueError('MASA needs a neck (MotionDecoder) exactly when '
                             'it has a mask_head')
        if not 0 < momentum < 0.5:
            raise ValueError(
                f'momentum is 1 - mu (mmengine convention, e.g. 0.004 for '
                f'mu = 0.996), in (0, 0.5); got {momentum}')
        if encoder_input not in ENCODER_INPUTS:
            raise ValueError(f'encoder_input must be one of '
                             f'{ENCODER_INPUTS}, got {encoder_input!r}')
        if key_view not in KEY_VIEWS:
            raise ValueError(
                f'key_view must be one of {KEY_VIEWS}, got {key_view!r}')
        if motion_frames not in MOTION_FRAMES:
            raise ValueError(f'motion_frames must be one of {MOTION_FRAMES}, '
                             f'got {motion_frames!r}')
        data_preprocessor = data_preprocessor or dict(
            type='ActionDataPreprocessor')
        if isinstance(data_preprocessor, dict):
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.neck = MODELS.build(neck) if neck else None
        self.mask_head = MODELS.build(mask_head) if mask_head else None
        self.align_head = MODELS.build(align_head) if align_head else None
        if self.neck is not None and (self.neck.out_channels
                                      != self.mask_head.in_channels):
            raise ValueError(
                f'the neck decodes {self.neck.out_channels}-d tokens but '
                f'mask_head.in_channels is {self.mask_head.in_channels}: '
                'set both (neck.decoder_dims, mask_head.in_channels)')
        self.align_weight = align_weight
        self.encoder_input = encoder_input
        self.key_view = key_view
        self.key_mask_ratio = key_mask_ratio
        self.motion_frames = motion_frames
        if encoder_input == 'mask_token' or key_view == 'masked':
            if self.backbone.mask_token is None:
                raise ValueError(
                    f"encoder_input={encoder_input!r}, key_view="
                    f"{key_view!r} need MASABackbone(mask_token=True)")
        if self.align_head is not None:
            # Buffers (BatchNorm statistics) are copied, not averaged.
            self.momentum_encoder = ExponentialMovingAverage(
                self.query_encoder(), momentum=momentum, update_buffers=False)

    def query_encoder(self) -> SequenceEncoder:
        """The SA query branch (shares this model's modules), of which
        :attr:`momentum_encoder` is the EMA copy."""
        return SequenceEncoder(self.backbone, self.align_head.projector)

    def _load_from_state_dict(self, state_dict: Dict, prefix: str, *args,
                              **kwargs) -> None:
        """Map the decoder keys of checkpoints from before the neck split
        (``mask_head.{mask_token, pos_embed, input_proj, decoder}``) to
        ``neck.*``, then load as usual."""
        old = prefix + 'mask_head.'
        for key in [k for k in state_dict if k.startswith(old)]:
            name = key[len(old):]
            if name.split('.')[0] in NECK_KEYS:
                state_dict[prefix + 'neck.' + name] = state_dict.pop(key)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def forward(
        self,
        inputs: Tensor,
        data_samples: Optional[List[ActionDataSample]] = None,
        mode: str = 'tensor'
    ) -> Union[Tensor, Dict[str, Tensor], List[ActionDataSample]]:
        """Dispatch to :meth:`extract_feat`, :meth:`loss` or
        :meth:`predict`.

        Args:
            inputs (Tensor): ``(N, num_clips, M, T, V, C)`` poses as
                ``PackSignInputs`` packs them, or ``(N, M, T, V, C)``.
            data_samples (list[ActionDataSample], optional): Per-sample
                fields (see :meth:`loss`).
            mode (str): ``'tensor'``, ``'loss'`` or ``'predict'``.

        Returns:
            Tensor | dict[str, Tensor] | list[ActionDataSample]: The
            features, the losses or the data samples with ``pred_feat``.
        """
        if mode == 'tensor':
            return self.extract_feat(inputs)
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}".')

    def extract_feat(self, inputs: Tensor) -> Tensor:
        """Backbone features of every frame of every clip.

        Args:
            inputs (Tensor): ``(N, num_clips, M, T, V, C)`` or
                ``(N, M, T, V, C)``.

        Returns:
            Tensor: ``(N * num_clips, M, D, T, 1)`` (clips flattened into
            the batch, as ``RecognizerGCN`` does).
        """
        return self.backbone(_flatten_clips(inputs))

    def predict(self, inputs: Tensor,
                data_samples: List[ActionDataSample]) -> List:
        """Attach the sequence feature (backbone output averaged over
        clips, persons and time, ``(D,)``) to each data sample as
        ``pred_feat``, e.g. for a k-NN or linear-probe evaluation.

        Args:
            inputs (Tensor): ``(N, num_clips, M, T, V, C)`` or
                ``(N, M, T, V, C)``.
            data_samples (list[ActionDataSample]): One per sample.

        Returns:
            list[ActionDataSample]: ``data_samples`` with ``pred_feat``.
        """
        feats = pool_clip_features(self.extract_feat(inputs), len(inputs))
        for sample, feat in zip(data_samples, feats):
            sample.set_field(feat, 'pred_feat')
        return data_samples

    def loss(self, inputs: Tensor,
             data_samples: List[ActionDataSample]) -> Dict[str, Tensor]:
        """Pre-training losses of a batch (person 0 of each sample).

        Args:
            inputs (Tensor): ``(N, 1, M, T, V, 3)`` poses ``[x, y, score]``
                as ``PackSignInputs`` packs them (one clip), or
                ``(N, M, T, V, 3)``.
            data_samples (list[ActionDataSample]): Metainfo
                ``total_frames`` (the clip's real length when clips of
                different lengths are right-padded into one batch); fields
                ``motion_mask`` ``(T,)`` bool (True = masked),
                ``motion_target``
                ``(T, V, 2)``, ``motion_weight`` ``(T, V)`` and
                ``joint_weight`` ``(T, V)`` (MA); ``view2``
                ``(1, M, T2, V, 3)`` or ``(M, T2, V, 3)`` (SA).

        Returns:
            dict[str, Tensor]: ``loss_motion`` (with ``mask_head``) and
            ``loss_align`` = ``align_weight * L_s`` (with ``align_head``).
        """
        x, padding = self.query_pose(inputs, data_samples)
        losses = dict()
        if self.mask_head is None:
            tokens, padding_mask, _ = self.backbone.forward_tokens(
                x, visible=None if padding is None else ~padding)
        else:
            losses['loss_motion'], tokens, padding_mask = self.motion_loss(
                x, padding, data_samples)
        if self.align_head is not None:
            key = self.momentum_keys(data_samples, x, padding)
            loss_align = self.align_head.loss(
                self.query_encoder().embed(tokens, padding_mask), key)
            losses['loss_align'] = self.align_weight * loss_align
        return losses

    def motion_loss(
        self,
        x: Tensor,
        padding: Optional[Tensor],
        data_samples: List[ActionDataSample],
        mask: Optional[Tensor] = None,
        motion_frames: Optional[str] = None
    ) -> Tuple[Tensor, Tensor, Optional[Tensor]]:
        """MA's loss ``L_m`` (Eq. 4) of the query branch.

        Args:
            x (Tensor): ``(N, T, V, C)`` poses (:meth:`query_pose`).
            padding (Tensor, optional): ``(N, T)`` bool, True = padding.
            data_samples (list[ActionDataSample]): With ``motion_mask``
                and the mask head's ``target_fields``.
            mask (Tensor, optional): The masked frames, ``(N, T)`` bool.
                Defaults to None: the samples' ``motion_mask``.
            motion_frames (str, optional): ``'masked'`` or ``'all'``, the
                frames the loss is taken on (padding never is), for this
                call. Defaults to None: :attr:`motion_frames`. The
                diagnostics of
                :func:`mmaction_masa.analysis.motion_baselines.learning_curve`
                set it.

        Returns:
            tuple: ``L_m``, and the encoded tokens and their padding mask
            (SA's query embeds the same tokens).
        """
        frames = motion_frames or self.motion_frames
        if frames not in MOTION_FRAMES:
            raise ValueError(f'motion_frames must be one of {MOTION_FRAMES}, '
                             f'got {frames!r}')
        if mask is None:
            mask = self._stack(data_samples, 'motion_mask', x).bool()
        tokens, padding_mask, frame_index = self._encode_query(
            x, mask, padding)
        feats = self.neck(tokens, padding_mask, frame_index, x.shape[1],
                          padding)
        fields = {
            name: self._stack(data_samples, name, x)
            for name in self.mask_head.target_fields
        }
        supervised = torch.ones_like(mask) if frames == 'all' else mask
        loss = self.mask_head.loss(feats, x, fields, supervised, padding)
        return loss, tokens, padding_mask

    def query_pose(
        self, inputs: Tensor, data_samples: List[ActionDataSample]
    ) -> Tuple[Tensor, Optional[Tensor]]:
        """Person 0 of the batch's single clips and their padding.

        Args:
            inputs (Tensor): ``(N, 1, M, T, V, C)`` or ``(N, M, T, V, C)``.
            data_samples (list[ActionDataSample]): With ``total_frames``
                (see :func:`frame_padding`).

        Returns:
            tuple[Tensor, Tensor | None]: ``(N, T, V, C)`` poses and the
            ``(N, T)`` padding (None without padding).
        """
        x = _first_person(inputs, 1, 'inputs')
        padding = frame_padding(data_samples, x.shape[1])
        return x, None if padding is None else padding.to(x.device)

    def _encode_query(self, x: Tensor, mask: Tensor,
                      padding: Optional[Tensor]) -> Tuple[Tensor, ...]:
        """The query branch's tokens: the visible frames (paper) or every
        real frame with the masked ones as mask tokens (BERT-style)."""
        real = None if padding is None else ~padding
        if self.encoder_input == 'mask_token':
            return self.backbone.forward_tokens(x, visible=real, masked=mask)
        if mask.dim() == 3:
            raise ValueError("per-part masks (MotionAwareMask(per_part=True))"
                             " need MASA(encoder_input='mask_token')")
        visible = ~mask if real is None else ~mask & real
        return self.backbone.forward_tokens(x, visible=visible)

    @staticmethod
    def _stack(data_samples: List[ActionDataSample], name: str,
               x: Tensor) -> Tensor:
        """A per-frame field of every sample, padded to ``x``'s frames."""
        return _pad_stack_field(data_samples, name, x.shape[1]).to(x.device)

    @torch.no_grad()
    def momentum_keys(self,
                      data_samples: List[ActionDataSample],
                      x: Optional[Tensor] = None,
                      padding: Optional[Tensor] = None) -> Tensor:
        """Update the EMA branch, then encode the SA views into unit keys.

        The view is each sample's ``view2`` (``key_view='sampled'``) or
        ``x`` with a random ``key_mask_ratio`` of its real frames masked
        (``'masked'``). The views are encoded batch-shuffled across ranks
        (:func:`batch_shuffle`, MoCo's shuffling BN), so the BatchNorm
        statistics of a key's batch are not those of its query's batch.

        Args:
            data_samples (list[ActionDataSample]): The batch's samples.
            x (Tensor, optional): ``(N, T, V, C)`` person 0 of the inputs
                (needed by ``key_view='masked'``).
            padding (Tensor, optional): ``(N, T)`` padding of ``x``.

        Returns:
            Tensor: ``(N, out_channels)`` unit keys.
        """
        self.momentum_encoder.update_parameters(self.query_encoder())
        if self.key_view == 'masked':
            if x is None:
                raise ValueError("key_view='masked' needs the inputs x")
            if padding is None:
                padding = torch.zeros(
                    x.shape[:2], dtype=torch.bool, device=x.device)
            view, lengths = x, (~padding).sum(1)
            masked = random_frame_mask(padding, self.key_mask_ratio)
        else:
            view, lengths = stack_views(data_samples)
            masked = torch.zeros(
                view.shape[:2], dtype=torch.bool, device=view.device)
        (view, lengths, masked), state = batch_shuffle(view, lengths, masked)
        return batch_unshuffle(self._encode_keys(view, lengths, masked), state)

    def _encode_keys(self,
                     view: Tensor,
                     lengths: Tensor,
                     masked: Optional[Tensor] = None) -> Tensor:
        """Keys of the momentum branch.

        Args:
            view (Tensor): ``(n, T2, V, C)`` right-padded views.
            lengths (Tensor): ``(n,)`` real frames of each view.
            masked (Tensor, optional): ``(n, T2)`` bool, frames entering
                as the mask token. Defaults to None.

        Returns:
            Tensor: ``(n, out_channels)`` unit keys.
        """
        length = int(lengths.max())
        view = view[:, :length]
        real = torch.arange(length, device=view.device)[None] < \
            lengths[:, None]
        if masked is not None:
            masked = masked[:, :length]
            masked = masked if bool(masked.any()) else None
        return self.momentum_encoder(
            view, visible=None if bool(real.all()) else real, masked=masked)
